"""Health pages: dashboard."""

urlpatterns: list = []
