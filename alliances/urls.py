from django.urls import path

from . import views

app_name = "alliances"

urlpatterns = [
    path("", views.AllianceListView.as_view(), name="alliance_list"),
    path("add/", views.AllianceEditView.as_view(), name="alliance_add"),
    path("<int:pk>/", views.AllianceDetailView.as_view(), name="alliance_detail"),
    path("<int:pk>/edit/", views.AllianceEditView.as_view(), name="alliance_edit"),
    path("<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("memberships/<int:pk>/<slug:step>/", views.MembershipStepView.as_view(), name="membership_step"),
    path("apply/<int:pk>/", views.ApplyView.as_view(), name="apply"),
    path("setup/<int:pk>/<slug:step>/", views.AllianceSetupView.as_view(), name="setup"),
]
