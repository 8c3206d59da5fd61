"""Health pages: cases."""

urlpatterns: list = []
