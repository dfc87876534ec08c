from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import View
from django.views import i18n as i18n_views
from rest_framework.authtoken.models import Token

from . import services
from .models import RoleAssignment, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Signed in: the interface speaks the language the user last chose, on this device too."""
        response = super().form_valid(form)
        language = cast(User, form.get_user()).language
        if language:
            remember_language(response, language)
        return response

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


def remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie as Django's ``set_language`` view sets it."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (``django.views.i18n.set_language``); a signed-in user's choice is also kept on
    the account (``services.user_language_set``)."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language and check_for_language(language):
        services.user_language_set(user=cast(User, request.user), language=language)
    return response
