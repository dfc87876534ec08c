from typing import Any

from django.http import HttpRequest

from .models import Notification
from .permissions import Action, get_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_audit": get_scope(user, Action.AUDIT).everything,
        "unread_notifications": Notification.objects.filter(user=user, read_at=None).count(),
    }
