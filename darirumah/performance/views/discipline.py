"""Performance pages: discipline."""

urlpatterns: list = []
