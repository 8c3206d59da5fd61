from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.my_schedule, name="my_schedule"),
    path("me/requests/", views.my_request, name="my_request"),
    path("requests/", views.request_inbox, name="request_inbox"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("grid/", views.roster_grid, name="roster_grid"),
    path("grid/cell/", views.roster_cell, name="roster_cell"),
    path("grid/plan/", views.roster_grid_plan, name="roster_grid_plan"),
    path("grid/publish/", views.roster_grid_publish, name="roster_grid_publish"),
]
