"""URLs of the benchmark settings: the application's, plus the reference endpoint the harness compares against."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from .urls import urlpatterns as app_urlpatterns


def hello(request: HttpRequest) -> JsonResponse:
    """The reference: a bare Django JSON response through the same middleware, without database or DRF."""
    return JsonResponse({"hello": "world"})


urlpatterns = [path("bench/hello/", hello), *app_urlpatterns]
