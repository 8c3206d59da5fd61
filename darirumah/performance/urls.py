from .views import dashboards, discipline, evaluations, reports, tpp

urlpatterns = [
    *reports.urlpatterns,
    *evaluations.urlpatterns,
    *tpp.urlpatterns,
    *discipline.urlpatterns,
    *dashboards.urlpatterns,
]
