from .views import urlpatterns as _patterns

urlpatterns = [*_patterns]
