from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "darirumah.jobs"
    label = "jobs"
    verbose_name = _("Timed jobs")

    def ready(self):
        # The timed jobs that belong to no single app register here; other apps register theirs
        # in their own AppConfig.ready (see darirumah.jobs.registry).
        from . import reminders  # noqa: F401
