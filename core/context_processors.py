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
        from accounts.selectors import can_manage_accounts

        view = get_scope(user, Action.VIEW)
        # The modules a role works in: members and enterprise contacts (no role) see their own activities,
        # demands, the resource catalogue and alliances; the tree, pairing, the ledger and the API are for roles
        # that reach organizations (or administer alliances).
        kept = {
            "can_audit": get_scope(user, Action.AUDIT).everything,
            "nav_tree": view.reaches_tree,
            "nav_api": view.reaches_tree or bool(view.alliance_ids),
            "can_manage_accounts": can_manage_accounts(user),
            "unread_notifications": Notification.objects.filter(user=user, read_at=None).count(),
        }
        request._navigation = kept  # type: ignore[attr-defined]
    return kept
