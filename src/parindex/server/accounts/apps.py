from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "parindex.server.accounts"
    label = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self) -> None:
        # Registers the object permissions with django-rules (its autodiscovery looks for
        # modules named ``rules``, a name the scoring rule kinds already use).
        from parindex.server.accounts import permissions  # noqa: F401
