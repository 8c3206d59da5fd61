"""Health pages: isolations."""

urlpatterns: list = []
