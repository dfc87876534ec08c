from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/", views.AuditEventListView.as_view(), name="audit_list"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("healthz", views.healthz, name="healthz"),
]
