from typing import Any

from django.http import HttpRequest

from notifications.models import Notification

from .permissions import Action, get_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's figures, once per request: a page whose table renders its own template (django-tables2) runs
    the context processors again, which counted the unread notifications twice."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    kept: dict[str, Any] | None = getattr(request, "_navigation", None)
    if kept is None:
        kept = {
            "can_audit": get_scope(user, Action.AUDIT).everything,
            "unread_notifications": Notification.objects.filter(user=user, read_at=None).count(),
        }
        request._navigation = kept  # type: ignore[attr-defined]
    return kept
