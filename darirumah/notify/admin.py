from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "agency"]
    search_fields = ["title", "recipient__username", "recipient__employee__name", "key"]
    raw_id_fields = ["recipient", "agency"]
    date_hierarchy = "created_at"
