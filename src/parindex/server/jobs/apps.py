from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "parindex.server.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Each app declares its kinds of job in its own ``jobs`` module (as the admin finds
        # ``admin`` modules): this app knows none of them by name.
        autodiscover_modules("jobs")
