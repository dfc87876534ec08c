"""Excel import of activities that have already taken place (e.g. a year of branch meetings kept in a
spreadsheet before the platform): one row per activity. All-or-nothing, like every import (see core.importing).

A row with minutes is stored as recorded, one without as held. Rows are matched on lead host, start and theme,
so importing a corrected file again updates those activities instead of adding new ones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Column, Importer, LabelChoiceField, find_by_code_or_name
from core.permissions import Action, Actor
from organizations.models import Organization

from . import services
from .choices import ActivityKind, ActivityStatus
from .models import Activity, ActivitySeries
from .selectors import pickable_hosts

_SEPARATORS = re.compile(r"[、;；\n]+")
DEFAULT_LENGTH = dt.timedelta(hours=2)


class ActivityRowForm(forms.Form):
    kind = LabelChoiceField(choices=ActivityKind.choices, aliases={"支委会": ActivityKind.COMMITTEE_MEETING,
                                                                   "微党课": ActivityKind.MICRO_LESSON})
    theme = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField()
    ends_at = forms.DateTimeField(required=False)
    venue = forms.CharField(max_length=200, required=False)
    lead = forms.CharField(max_length=200)
    co_hosts = forms.CharField(max_length=2000, required=False)
    series = forms.CharField(max_length=200, required=False)
    minutes = forms.CharField(max_length=20000, required=False)
    outcomes = forms.CharField(max_length=10000, required=False)


class ActivityImporter(Importer):
    title = gettext_lazy("Activities")
    model = Activity
    row_form = ActivityRowForm
    columns = (
        Column("kind", gettext_lazy("Kind"), True, gettext_lazy("As in the platform, e.g. “themed party day”."),
               "主题党日"),
        Column("theme", gettext_lazy("Theme"), True, "", "重温入党誓词"),
        Column("starts_at", gettext_lazy("Starts at"), True, gettext_lazy("Date and time; it must be in the past."),
               "2026-03-05 14:30"),
        Column("ends_at", gettext_lazy("Ends at"), False, gettext_lazy("Empty: two hours after the start."),
               "2026-03-05 16:30"),
        Column("venue", gettext_lazy("Venue"), False, "", "党员活动室"),
        Column("lead", gettext_lazy("Lead host"), True,
               gettext_lazy("Code or exact name of an organization you are responsible for."), "丰泽区机关第一党支部"),
        Column("co_hosts", gettext_lazy("Co-hosts"), False,
               gettext_lazy("Codes or exact names, separated by “、” or “;”."), ""),
        Column("series", gettext_lazy("Series"), False, gettext_lazy("Exact name of a monthly series."), ""),
        Column("minutes", gettext_lazy("Minutes"), False,
               gettext_lazy("With minutes the activity is stored as recorded, without as held."), "学习了……"),
        Column("outcomes", gettext_lazy("Outcomes"), False, "", ""),
    )

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.leads = Organization.objects.restrict(actor, Action.CHANGE)
        self.hosts = pickable_hosts(actor)
        self.series = ActivitySeries.objects.restrict(actor)
        self.now = timezone.now()

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        problems: dict[str, str] = {}
        lead = find_by_code_or_name(self.leads, data["lead"].strip())
        if isinstance(lead, str):
            problems["lead"] = lead
        data["lead_obj"] = lead
        co_hosts: list[Organization] = []
        messages: list[str] = []
        for ref in (part.strip() for part in _SEPARATORS.split(data["co_hosts"] or "")):
            if ref:
                found = find_by_code_or_name(self.hosts, ref)
                (messages if isinstance(found, str) else co_hosts).append(found)
        if messages:
            problems["co_hosts"] = " ".join(messages)
        data["co_host_objs"] = co_hosts
        data["series_obj"] = None
        if data["series"]:
            series = list(self.series.filter(name=data["series"].strip())[:1])
            if not series:
                problems["series"] = _("No series “%(name)s” in your scope.") % {"name": data["series"]}
            data["series_obj"] = series[0] if series else None
        if data["starts_at"] > self.now:
            problems["starts_at"] = _("Only activities that have taken place can be imported; plan future ones on "
                                      "the platform.")
        data["ends_at"] = data["ends_at"] or data["starts_at"] + DEFAULT_LENGTH
        if data["ends_at"] <= data["starts_at"]:
            problems["ends_at"] = _("The activity must end after it starts.")
        return problems

    def natural_key(self, data: dict[str, Any]) -> Any:
        return (data["lead_obj"].pk, data["starts_at"], data["theme"].strip())

    def _existing(self, data: dict[str, Any]) -> Activity | None:
        return Activity.objects.filter(host_links__organization=data["lead_obj"], host_links__is_lead=True,
                                       starts_at=data["starts_at"], theme=data["theme"].strip()).first()

    def save(self, data: dict[str, Any]) -> str:
        values = {"kind": data["kind"], "theme": data["theme"].strip(), "starts_at": data["starts_at"],
                  "ends_at": data["ends_at"], "venue": data["venue"].strip(), "series": data["series_obj"]}
        minutes, outcomes = data["minutes"].strip(), data["outcomes"].strip()
        activity = self._existing(data)
        if activity is None:
            activity = services.activity_create(actor=self.actor, data=values, lead=data["lead_obj"],
                                                co_hosts=data["co_host_objs"])
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(activity, k) != v}
            if changed:
                activity = services.activity_update(actor=self.actor, activity=activity, data=changed)
            outcome = "updated" if changed else "unchanged"
        if minutes and (activity.minutes, activity.outcomes) != (minutes, outcomes):
            services.activity_record(actor=self.actor, activity=activity, minutes=minutes, outcomes=outcomes)
            outcome = "updated" if outcome == "unchanged" else outcome
        elif activity.status in (ActivityStatus.PLANNED, ActivityStatus.OPEN):
            services.activity_hold(actor=self.actor, activity=activity)
        return outcome
