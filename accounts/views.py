from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.authtoken.models import Token

from . import services
from .models import RoleAssignment, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT,
                "lockout_minutes": round(float(settings.AXES_COOLOFF_TIME) * 60)}


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): the session row is deleted, so the old cookie is worthless."""


class ProfileView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        return render(request, "accounts/profile.html", {
            "roles": RoleAssignment.objects.filter(user=user).select_related("region", "organization"),
            "has_token": Token.objects.filter(user=user).exists(),
        })


class ApiTokenView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your API token was revoked."))
            return HttpResponseRedirect(reverse("accounts:profile"))
        key = services.api_token_create(actor=request.user)  # type: ignore[arg-type]
        return render(request, "accounts/token_created.html", {"key": key})
