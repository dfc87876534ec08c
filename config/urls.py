from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("", include("dashboard.urls")),
    path("", include("core.urls")),
]

