"""Performance pages: reports."""

urlpatterns: list = []
