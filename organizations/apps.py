from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from core import derived

        from . import services, visibility

        # What a bulk write (an import, a tree move) must keep current besides the authorization cache.
        derived.register("organizations.reach", visibility.keep_reach)
        derived.register("organizations.member_counts", services.keep_member_counts)
