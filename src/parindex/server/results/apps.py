from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "parindex.server.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # Registers the boundary files' system check (results.W001, W002).
        from parindex.server.results.services import boundaries  # noqa: F401
