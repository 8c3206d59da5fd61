from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "darirumah.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from . import timed  # noqa: F401  (registers the timed jobs)
