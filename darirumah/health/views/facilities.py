"""Health pages: facilities."""

urlpatterns: list = []
