from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import set_language

urlpatterns = [
    # Django's language switch, which also keeps a signed-in user's choice (for their notifications and mails).
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("organizations/", include("organizations.urls")),
    path("alliances/", include("alliances.urls")),
    path("pairing/", include("pairing.urls")),
    path("activities/", include("activities.urls")),
    path("demands/", include("demands.urls")),
    path("projects/", include("projects.urls")),
    path("commendations/", include("commendations.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("workbench.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("core.urls")),
]

