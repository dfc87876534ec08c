"""Until an account replaces a password someone else chose, every page leads to the password change."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """After ``AuthenticationMiddleware``. The change page, logging out, the language switch and static files stay
    reachable; API calls with the session get a 403 with a code instead of a redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            path = request.path_info
            change = reverse("accounts:password_change")
            allowed = (change, reverse("accounts:logout"), reverse("set_language"), settings.STATIC_URL)
            if not path.startswith(allowed):
                message = _("Choose a new password before you go on: yours was set by someone else.")
                if path.startswith("/api/"):
                    return JsonResponse({"detail": message, "code": "password_change_required"}, status=403)
                return HttpResponseRedirect(f"{change}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
