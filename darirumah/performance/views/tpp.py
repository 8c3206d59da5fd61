"""Performance pages: tpp."""

urlpatterns: list = []
