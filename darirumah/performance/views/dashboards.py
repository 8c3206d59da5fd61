"""Performance pages: dashboards."""

urlpatterns: list = []
