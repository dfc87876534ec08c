from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import authz_cache, signals  # noqa: F401  (signals: login/logout audit)

        authz_cache.connect_signals()
