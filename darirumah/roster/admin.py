from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RosterEntry, RosterRequest


@admin.register(RosterEntry)
class RosterEntryAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "date", "mode", "source", "published", "changed_by"]
    list_filter = ["mode", "source", "published", "employee__agency"]
    search_fields = ["employee__name", "employee__nip"]
    raw_id_fields = ["employee", "circular", "rules_version", "changed_by"]
    date_hierarchy = "date"


@admin.register(RosterRequest)
class RosterRequestAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "date", "mode", "status", "decided_by"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["employee", "decided_by"]
