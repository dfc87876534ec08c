from django.urls import path

from . import views

app_name = "pairing"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("add/", views.ProgrammeEditView.as_view(), name="pairingprogramme_add"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("<int:pk>/delete/", views.ProgrammeDeleteView.as_view(), name="programme_delete"),
    path("<int:pk>/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("<int:pk>/import/", views.PairImportView.as_view(), name="pair_import"),
    path("<int:programme>/pairs/add/", views.PairEditView.as_view(), name="pair_add"),
    path("pairs/", views.PairListView.as_view(), name="pair_list"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair_detail"),
    path("pairs/<int:pk>/edit/", views.PairEditView.as_view(), name="pair_edit"),
    path("pairs/<int:pk>/<slug:kind>.pdf", views.PairDocumentView.as_view(), name="pair_document"),
    path("pairs/<int:pk>/<slug:step>/", views.PairStepView.as_view(), name="pair_step"),
]
