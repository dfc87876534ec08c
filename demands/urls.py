from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("", views.DemandListView.as_view(), name="demand_list"),
    path("add/", views.DemandCreateView.as_view(), name="demand_add"),
    path("<int:pk>/", views.DemandDetailView.as_view(), name="demand_detail"),
    path("<int:pk>/do/<slug:step>/", views.DemandStepView.as_view(), name="demand_step"),
]
