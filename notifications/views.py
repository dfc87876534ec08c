from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .channels import channels
from .kinds import KINDS
from .models import MailMode, Notification, Preference, Subscriber


class NotificationListView(LoginRequiredMixin, View):
    """The user's own notifications, newest first; ``?unread=1`` only those not read. Opening a page marks what
    it shows read."""

    def get(self, request: HttpRequest) -> HttpResponse:
        mine = Notification.objects.owned_by(request.user)
        only_unread = request.GET.get("unread") == "1"
        if only_unread:
            mine = mine.filter(read_at=None)
        rows = Paginator(mine, 30).get_page(request.GET.get("page"))
        unread = [n.pk for n in rows.object_list if n.read_at is None]
        response = render(request, "notifications/notification_list.html",
                          {"page": rows, "unread": set(unread), "only_unread": only_unread})
        services.mark_read(request.user, unread)
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        """Mark everything read."""
        count = services.mark_read(request.user)
        messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
        return HttpResponseRedirect(reverse("notifications:list"))


class PreferencesView(LoginRequiredMixin, View):
    """What reaches the user beyond the platform: each kind on each configured channel, and mail at once or as a
    daily digest. The bell always shows everything (the workbench links to it)."""

    def _context(self, request: HttpRequest) -> dict[str, Any]:
        muted = set(Preference.objects.owned_by(request.user).values_list("kind", "channel"))
        row = Subscriber.objects.owned_by(request.user).first()
        groups: dict[str, list[dict[str, Any]]] = {}
        for kind in sorted(KINDS.values(), key=lambda k: (str(k.group), k.key)):
            switches = [(key, channel.label, (kind.key, key) not in muted) for key, channel in channels().items()]
            groups.setdefault(str(kind.group), []).append({"kind": kind, "channels": switches})
        return {"groups": groups, "channels": channels(), "mode": row.mode if row else MailMode.EACH,
                "modes": MailMode.choices}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "notifications/preferences.html", self._context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        on = set(request.POST.getlist("on"))
        muted = [(kind, key) for kind in KINDS for key in channels() if f"{kind}:{key}" not in on]
        mode = request.POST.get("mode", MailMode.EACH)
        if mode not in MailMode.values:
            mode = MailMode.EACH
        if services.preferences_set(actor=cast(Any, request.user), muted=muted, mode=mode):
            messages.success(request, _("Your notification settings were saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
