from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/new/", views.employee_create, name="employee_create"),
    path("employees/lookup/", views.employee_lookup, name="employee_lookup"),
    path("employees/import/", views.employee_import, name="employee_import"),
    path("employees/import/template.<slug:fmt>", views.import_template, name="import_template"),
    path("employees/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/grant/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("agency/", views.agency_detail, name="agency_detail"),
    path("agency/edit/", views.agency_edit, name="agency_edit"),
    path("agency/days/", views.agency_day_set, name="agency_day_set"),
    path("agency/days/<int:pk>/delete/", views.agency_day_delete, name="agency_day_delete"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/new/", views.office_create, name="office_create"),
    path("offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("offices/<int:pk>/edit/", views.office_edit, name="office_edit"),
    path("offices/<int:pk>/rooms/", views.room_create, name="room_create"),
]
