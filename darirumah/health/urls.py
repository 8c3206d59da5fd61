from .views import cases, clusters, dashboard, facilities, isolations, reason

urlpatterns = [
    *reason.urlpatterns,
    *cases.urlpatterns,
    *isolations.urlpatterns,
    *facilities.urlpatterns,
    *clusters.urlpatterns,
    *dashboard.urlpatterns,
]
