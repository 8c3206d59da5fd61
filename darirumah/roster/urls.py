from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.my_schedule, name="my_schedule"),
    path("me/requests/", views.my_request, name="my_request"),
    path("requests/", views.request_inbox, name="request_inbox"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
]
