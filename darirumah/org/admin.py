from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyDay, ApiToken, Employee, Office, RoleAssignment, Room, Unit, User


@admin.register(User)
class DariRumahUserAdmin(UserAdmin, SimpleHistoryAdmin):
    pass


class AgencyDayInline(admin.TabularInline):
    model = AgencyDay
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "region", "zone", "risk_zone", "ppkm_level"]
    list_filter = ["kind", "zone"]
    search_fields = ["name", "code", "region"]
    inlines = [AgencyDayInline]


@admin.register(AgencyDay)
class AgencyDayAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "date", "kind", "name"]
    list_filter = ["agency", "kind"]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "latitude", "longitude", "radius_m"]
    list_filter = ["agency"]
    search_fields = ["name", "address"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "office", "floor", "capacity"]
    list_filter = ["office__agency"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "agency", "parent", "serves_public", "min_on_site"]
    list_filter = ["agency", "kind", "serves_public"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "head", "office"]

    def save_model(self, request, obj, form, change):
        from .services import unit_save_tree

        unit_save_tree(obj, actor=request.user)


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nip", "asn_type", "position", "unit", "agency", "is_active"]
    list_filter = ["agency", "asn_type", "is_active"]
    search_fields = ["name", "nip", "position"]
    raw_id_fields = ["user", "unit", "office", "room", "supervisor"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "agency", "unit", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["role", "agency"]
    raw_id_fields = ["user", "unit", "granted_by", "revoked_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash"]
