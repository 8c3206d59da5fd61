from .views import checkin, records, vicon

urlpatterns = [*checkin.urlpatterns, *records.urlpatterns, *vicon.urlpatterns]
