"""Base viewsets: reads go through a scoped selector, writes through services (validated by serializers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models import Q
from rest_framework import mixins, serializers, viewsets

from core.permissions import Action

from .columns import load_only_what_is_read


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key accepted only when the target lies inside the requester's scope for ``action``."""

    def __init__(self, model: type[models.Model], action: Action = Action.VIEW, **kwargs: Any) -> None:
        self.model = model
        self.scope_action = action
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.all()
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return self.model._default_manager.restrict(request.user if request else None, self.scope_action)  # type: ignore[attr-defined]


class ChoosableRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation accepted only from what the requester may choose (``choosable(user, context)``), plus what the
    object being changed already links to (``linked(instance)``): an id out of reach gets the same answer as an
    id that does not exist, so the API does not tell which records exist elsewhere."""

    def __init__(self, model: type[models.Model], choosable: Callable[[Any, Mapping[str, Any]], Any],
                 linked: Callable[[Any], Iterable[int | None]] | None = None, **kwargs: Any) -> None:
        self.model, self.choosable, self.linked = model, choosable, linked
        kwargs["queryset"] = model._default_manager.all()
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = self.choosable(request.user if request else None, self.context)
        instance = getattr(self.root, "instance", None)
        if self.linked is not None and isinstance(instance, models.Model) and instance.pk:
            ids = [pk for pk in self.linked(instance) if pk is not None]
            if ids:
                queryset = self.model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=ids))
        return queryset


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Subclasses define ``get_queryset`` from a scoped selector; there is no unscoped default."""

    def get_queryset(self) -> models.QuerySet[Any]:
        raise NotImplementedError("viewsets must read through a scoped selector")

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset = load_only_what_is_read(queryset, self.get_serializer_class())
        return queryset


class ScopedModelViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet
):
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any]
    service_object_kwarg: str
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = type(self).create_service(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = type(self).update_service(
            actor=self.request.user, data=serializer.validated_data, **{self.service_object_kwarg: serializer.instance}
        )

    def perform_destroy(self, instance: Any) -> None:
        type(self).delete_service(actor=self.request.user, **{self.service_object_kwarg: instance})
