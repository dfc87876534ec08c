from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Each app declares its kinds of notification in its notices.py (as the admin finds admin.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notices")
