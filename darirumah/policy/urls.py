from django.urls import path

from . import views, views_effectiveness

urlpatterns = [
    path("", views.circular_list, name="circular_list"),
    path("new/", views.circular_create, name="circular_create"),
    path("cap-preview/", views.circular_cap_preview, name="circular_cap_preview"),
    path("<int:pk>/", views.circular_detail, name="circular_detail"),
    path("<int:pk>/edit/", views.circular_edit, name="circular_edit"),
    path("<int:pk>/activate/", views.circular_activate, name="circular_activate"),
    path("<int:pk>/extend/", views.circular_extend, name="circular_extend"),
    path("<int:pk>/withdraw/", views.circular_withdraw, name="circular_withdraw"),
]
urlpatterns += views_effectiveness.urlpatterns
