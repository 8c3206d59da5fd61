from .views import discipline, evaluations, reports, tpp

urlpatterns = [
    *reports.urlpatterns,
    *evaluations.urlpatterns,
    *tpp.urlpatterns,
    *discipline.urlpatterns,
]
