"""Performance pages: evaluations."""

urlpatterns: list = []
