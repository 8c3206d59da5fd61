from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "local_date", "status", "started_at", "finished_at")
    list_filter = ("status", "name", "agency")
    date_hierarchy = "local_date"
    readonly_fields = ("queued_at", "started_at", "finished_at", "result", "error")
