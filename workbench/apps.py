from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        # Each app says what waits for a user in its todo.py (as notices.py says who is told).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("todo")
