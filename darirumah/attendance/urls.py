from .views import checkin, recap, records, vicon

urlpatterns = [*checkin.urlpatterns, *records.urlpatterns, *vicon.urlpatterns, *recap.urlpatterns]
