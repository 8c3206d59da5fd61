from .views import cases, clusters, dashboard, facilities, isolations

urlpatterns = [
    *cases.urlpatterns,
    *isolations.urlpatterns,
    *facilities.urlpatterns,
    *clusters.urlpatterns,
    *dashboard.urlpatterns,
]
