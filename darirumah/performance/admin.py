from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DailyReport, ReportEvidence, ReportItem, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "indicator", "period_start", "period_end", "weight", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["employee__name", "employee__nip", "indicator"]
    raw_id_fields = ["employee", "assigned_by"]


class ItemInline(admin.TabularInline):
    model = ReportItem
    raw_id_fields = ["target"]
    extra = 0


@admin.register(DailyReport)
class DailyReportAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "date", "status", "late", "submitted_at", "reviewed_at"]
    list_filter = ["status", "late", "employee__agency"]
    search_fields = ["employee__name", "employee__nip"]
    raw_id_fields = ["employee", "reviewed_by"]
    date_hierarchy = "date"
    inlines = [ItemInline]


@admin.register(ReportEvidence)
class ReportEvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    raw_id_fields = ["item"]
