from django.urls import path

from . import views

app_name = "commendations"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("add/", views.CampaignEditView.as_view(), name="campaign_add"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("<int:pk>/do/<slug:step>/", views.CampaignStepView.as_view(), name="campaign_step"),
    path("<int:pk>/import/quotas/", views.QuotaImportView.as_view(), name="quota_import"),
    path("<int:pk>/decision.pdf", views.DecisionDocumentView.as_view(), name="decision_pdf"),
    path("<int:pk>/nominate/<int:org>/", views.NominatingView.as_view(), name="nominating"),
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.NominationEditView.as_view(), name="nomination_edit"),
    path("nominations/<int:pk>/do/<slug:step>/", views.NominationStepView.as_view(), name="nomination_step"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/export/", views.NoticeExportView.as_view(), name="notice_export"),
    path("notices/<int:pk>/notice.pdf", views.NoticeDocumentView.as_view(), name="notice_pdf"),
    path("notices/<int:pk>/do/<slug:step>/", views.NoticeStepView.as_view(), name="notice_step"),
    path("objections/", views.ObjectionListView.as_view(), name="objection_list"),
    path("objections/<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
    path("objections/<int:pk>/do/<slug:step>/", views.ObjectionStepView.as_view(), name="objection_step"),
    path("honours/", views.HonourListView.as_view(), name="honour_list"),
    path("honours/archive/", views.HonourArchiveView.as_view(), name="honour_archive"),
    path("honours/<int:pk>/", views.HonourDetailView.as_view(), name="honour_detail"),
    path("honours/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate_pdf"),
    path("honours/<int:pk>/do/<slug:step>/", views.HonourStepView.as_view(), name="honour_step"),
]
