from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/", views.AuditEventListView.as_view(), name="audit_list"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("healthz", views.healthz, name="healthz"),
]
