from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Circular, CircularEvent, EarlyStart, RuleSetVersion


class EarlyStartInline(admin.TabularInline):
    model = EarlyStart
    extra = 0
    raw_id_fields = ["unit"]


class RuleSetVersionInline(admin.TabularInline):
    model = RuleSetVersion
    extra = 0
    readonly_fields = ["number", "rules", "note", "created_by", "created_at"]
    can_delete = False


class CircularEventInline(admin.TabularInline):
    model = CircularEvent
    extra = 0
    readonly_fields = ["action", "actor", "at", "note"]
    can_delete = False


@admin.register(Circular)
class CircularAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "agency", "status", "starts_on", "ends_on"]
    list_filter = ["agency", "status"]
    search_fields = ["number", "title"]
    filter_horizontal = ["units", "offices"]
    inlines = [EarlyStartInline, RuleSetVersionInline, CircularEventInline]


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    list_display = ["circular", "number", "created_by", "created_at"]
    readonly_fields = ["circular", "number", "rules", "note", "created_by", "created_at"]


@admin.register(EarlyStart)
class EarlyStartAdmin(SimpleHistoryAdmin):
    list_display = ["circular", "unit", "starts_on"]


@admin.register(CircularEvent)
class CircularEventAdmin(admin.ModelAdmin):
    list_display = ["circular", "action", "actor", "at"]
    list_filter = ["action"]
