from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demands")

    def ready(self) -> None:
        from organizations.reach import REBUILDERS, organizations_changed

        from . import reach

        # Keep each demand's reach in step with the organization tree (demands.reach).
        organizations_changed.connect(reach.on_organizations_changed, dispatch_uid="demands.reach.orgs")
        REBUILDERS["demands.Demand"] = reach.rebuild_demand_reach
