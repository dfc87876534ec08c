from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("add/", views.ActivityEditView.as_view(), name="activity_add"),
    path("import/<slug:kind>/", views.ActivityImportView.as_view(), name="import"),
    path("registrations/", views.MyRegistrationsView.as_view(), name="my_registrations"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:pk>/qr.svg", views.QrCodeView.as_view(), name="qr_svg"),
    path("<int:pk>/qr/", views.QrPageView.as_view(), name="qr_page"),
    path("<int:pk>/attendance.xlsx", views.AttendanceExportView.as_view(), name="attendance_export"),
    path("<int:pk>/photos/<int:photo>/", views.PhotoView.as_view(), name="photo"),
    path("<int:pk>/do/<slug:step>/", views.ActivityStepView.as_view(), name="activity_step"),
    path("signin/<str:token>/", views.SignInView.as_view(), name="signin"),
    path("ledger/", views.LedgerMatrixView.as_view(), name="ledger"),
    path("ledger/<int:pk>/", views.OrganizationLedgerView.as_view(), name="organization_ledger"),
    path("rules/", views.LedgerRuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.LedgerRuleEditView.as_view(), name="rule_add"),
    path("rules/<int:pk>/edit/", views.LedgerRuleEditView.as_view(), name="rule_edit"),
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/add/", views.SeriesEditView.as_view(), name="series_add"),
    path("series/<int:pk>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("series/<int:pk>/edit/", views.SeriesEditView.as_view(), name="series_edit"),
    path("series/<int:pk>/theme/", views.SeriesThemeView.as_view(), name="series_theme"),
    path("calendar/", views.CalendarMonthView.as_view(), name="calendar"),
    path("calendar/week/", views.CalendarWeekView.as_view(), name="calendar_week"),
    path("calendar/links/", views.FeedListView.as_view(), name="feeds"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
