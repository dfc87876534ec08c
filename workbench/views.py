from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from activities.choices import UPCOMING_STATUSES
from activities.models import Activity
from core.permissions import Action, get_scope
from dashboard.selectors import dashboard_counts
from notifications.models import Notification

from .registry import collect
from .shortcuts import shortcuts

UPCOMING_DAYS = 14


class HomeView(LoginRequiredMixin, View):
    """Every role's home: what waits for the user, their frequent actions, the coming activities and the latest
    notifications; the figures of their scope below."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        now = timezone.now()
        groups = collect(user, now)
        upcoming = (Activity.objects.restrict(user).filter(status__in=UPCOMING_STATUSES, starts_at__gte=now,
                                                           starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS))
                    .order_by("starts_at", "id")[:5])
        context: dict[str, Any] = {
            "groups": groups, "now": now, "total": sum(g.count for g in groups),
            "overdue": sum(g.overdue for g in groups), "shortcuts": shortcuts(user), "upcoming": upcoming,
            "recent": Notification.objects.owned_by(user)[:5],
            "has_role": not get_scope(user, Action.VIEW).is_empty,
        }
        if get_scope(user, Action.VIEW).reaches_tree:
            context["counts"] = dashboard_counts(user)
        return render(request, "workbench/home.html", context)
