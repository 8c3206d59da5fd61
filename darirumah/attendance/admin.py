from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, DailyRecap, Incident, IncidentAttachment, ViconRoll, ViconSession


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "date", "expected_mode", "status", "source", "check_in_at"]
    list_filter = ["status", "source", "check_in_place", "employee__agency"]
    search_fields = ["employee__name", "employee__nip"]
    raw_id_fields = ["employee", "recorded_by"]
    date_hierarchy = "date"


class RollInline(admin.TabularInline):
    model = ViconRoll
    raw_id_fields = ["employee", "marked_by"]
    extra = 0


@admin.register(ViconSession)
class ViconSessionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "date", "starts_at", "link"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [RollInline]


@admin.register(DailyRecap)
class DailyRecapAdmin(admin.ModelAdmin):
    list_display = ["unit", "date", "produced_at", "read_by_bkpsdm_at"]
    list_filter = ["agency"]
    raw_id_fields = ["unit"]


class AttachmentInline(admin.TabularInline):
    model = IncidentAttachment
    extra = 0


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "category", "created_at", "acknowledged_at"]
    list_filter = ["category", "agency"]
    raw_id_fields = ["unit", "reported_by", "acknowledged_by"]
    inlines = [AttachmentInline]
