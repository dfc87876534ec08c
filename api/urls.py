from django.urls import include, path
from rest_framework.routers import DefaultRouter

from activities.api.views import ActivitySeriesViewSet, ActivityViewSet, LedgerView
from alliances.api.views import AllianceViewSet, MembershipViewSet
from commendations.api.views import CampaignViewSet, HonourViewSet, NominationViewSet
from core.api import AuditEventViewSet
from dashboard.api import DashboardSummaryView
from demands.api.views import DemandCategoryViewSet, DemandReportView, DemandViewSet, ResourceViewSet
from notifications.api import NotificationViewSet
from organizations.api.views import ContactViewSet, MemberViewSet, OrganizationViewSet, RegionViewSet, UnitViewSet
from pairing.api.views import PairingProgrammeViewSet, PairViewSet
from projects.api.views import ProjectViewSet
from workbench.api import TodoView

from .views import MeView

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("members", MemberViewSet, basename="member")
router.register("contacts", ContactViewSet, basename="contact")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("alliance-memberships", MembershipViewSet, basename="alliancemembership")
router.register("pairing-programmes", PairingProgrammeViewSet, basename="pairingprogramme")
router.register("pairs", PairViewSet, basename="pair")
router.register("activities", ActivityViewSet, basename="activity")
router.register("activity-series", ActivitySeriesViewSet, basename="activityseries")
router.register("demand-categories", DemandCategoryViewSet, basename="demandcategory")
router.register("demands", DemandViewSet, basename="demand")
router.register("resources", ResourceViewSet, basename="resource")
router.register("projects", ProjectViewSet, basename="project")
router.register("commendation-campaigns", CampaignViewSet, basename="commendationcampaign")
router.register("nominations", NominationViewSet, basename="nomination")
router.register("honours", HonourViewSet, basename="honour")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("notifications", NotificationViewSet, basename="notification")

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("ledger/", LedgerView.as_view(), name="ledger"),
    path("dashboard/", DashboardSummaryView.as_view(), name="dashboard"),
    path("demand-report/", DemandReportView.as_view(), name="demand-report"),
    path("todo/", TodoView.as_view(), name="todo"),
    path("", include(router.urls)),
]
