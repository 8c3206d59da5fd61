from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_runs, name="job_runs"),
]
