from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.my_schedule, name="my_schedule"),
    path("me/requests/", views.my_request, name="my_request"),
]
