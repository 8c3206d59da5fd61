"""Health pages: clusters."""

urlpatterns: list = []
