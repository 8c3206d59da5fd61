from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("circulars/", include("darirumah.policy.urls")),
    path("roster/", include("darirumah.roster.urls")),
    path("attendance/", include("darirumah.attendance.urls")),
    path("performance/", include("darirumah.performance.urls")),
    path("health/", include("darirumah.health.urls")),
    path("documents/", include("darirumah.documents.urls")),
    path("notifications/", include("darirumah.notify.urls")),
    path("jobs/", include("darirumah.jobs.urls")),
    path("", include("darirumah.org.urls")),
]
