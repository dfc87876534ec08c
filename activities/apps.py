from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from organizations.reach import REBUILDERS, organizations_changed
        from pairing.signals import pair_sides_changed

        from . import reach

        # Keep each activity's reach in step with its pairs and with the organization tree (activities.reach).
        organizations_changed.connect(reach.on_organizations_changed, dispatch_uid="activities.reach.orgs")
        pair_sides_changed.connect(reach.on_pair_sides_changed, dispatch_uid="activities.reach.pairs")
        REBUILDERS["activities.Activity"] = reach.rebuild_activity_reach
