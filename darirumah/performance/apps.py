from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "darirumah.performance"
    label = "performance"
    verbose_name = _("Performance")

    def ready(self):
        from .tasks import register

        register()  # the daily discipline job (darirumah/jobs)
