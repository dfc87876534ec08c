from typing import Any

from rest_framework import permissions

from core.permissions import Action, can, get_scope


class ScopedPermission(permissions.BasePermission):
    """Authenticated users only; writes need a change scope and, per object, the object inside it.

    Lists and details are already limited by ``restrict`` in every viewset, so objects outside the scope are
    404 before this runs. A viewset may name ``self_service_actions`` (e.g. registering oneself for an activity
    one sees): for those the service decides who may write.
    """

    @staticmethod
    def _self_service(view: Any) -> bool:
        return getattr(view, "action", None) in getattr(view, "self_service_actions", ())

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or self._self_service(view):
            return True
        return not get_scope(user, Action.CHANGE).is_empty

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or self._self_service(view):
            return True
        return can(request.user, Action.CHANGE, obj)
