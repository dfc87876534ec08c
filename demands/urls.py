from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("", views.DemandListView.as_view(), name="demand_list"),
    path("add/", views.DemandCreateView.as_view(), name="demand_add"),
    path("<int:pk>/", views.DemandDetailView.as_view(), name="demand_detail"),
    path("<int:pk>/do/<slug:step>/", views.DemandStepView.as_view(), name="demand_step"),
    path("<int:pk>/files/<int:attachment_pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("resources/", views.ResourceListView.as_view(), name="resource_list"),
    path("resources/add/", views.ResourceEditView.as_view(), name="resource_add"),
    path("resources/<int:pk>/", views.ResourceDetailView.as_view(), name="resource_detail"),
    path("resources/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource_edit"),
    path("resources/<int:pk>/do/<slug:step>/", views.ResourceStepView.as_view(), name="resource_step"),
    path("import/<slug:kind>/", views.DemandsImportView.as_view(), name="import"),
    path("report/", views.ReportView.as_view(), name="report"),
]
