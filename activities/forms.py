from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.choices import MembershipStatus
from alliances.models import Alliance, Membership, Workstream
from core.forms import ScopedModelForm, bootstrap
from core.permissions import Action
from organizations.models import Organization, Person
from pairing.choices import LIVE_STATUSES
from pairing.models import Pair, PairingProgramme

from .choices import ActivityKind, LedgerPeriod
from .models import Activity, ActivityHost, ActivitySeries, LedgerRule
from .selectors import pickable_hosts

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def _multi(field: forms.Field, size: int = 6) -> None:
    field.widget.attrs.update({"class": "form-select", "size": size})


class ActivityForm(ScopedModelForm):
    """One form for the whole activity: what, when, where, who hosts it and what it belongs to."""

    lead = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Lead host"))
    co_hosts = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), label=_("Co-hosts"), required=False,
        help_text=_("Both sides of a linked pair are added as co-hosts automatically."))
    pairs = forms.ModelMultipleChoiceField(
        queryset=Pair.objects.none(), label=_("Pairs"), required=False,
        help_text=_("The activity counts toward each linked pair's target."))
    invited_organizations = forms.ModelMultipleChoiceField(queryset=Organization.objects.none(),
                                                           label=_("Invited organizations"), required=False)

    field_order = ["kind", "theme", "starts_at", "ends_at", "venue", "lead", "co_hosts", "pairs", "series", "alliance",
                   "workstream", "invited_organizations", "capacity", "description", "agenda", "allow_guests"]

    class Meta:
        model = Activity
        fields = ["kind", "theme", "starts_at", "ends_at", "venue", "capacity", "alliance", "workstream", "series",
                  "description", "agenda", "allow_guests"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "description": forms.Textarea(attrs={"rows": 3}),
                   "agenda": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",  # type: ignore[attr-defined]
                                               "%Y-%m-%d %H:%M:%S"]
        user = self.user
        pickable = pickable_hosts(user)
        current_hosts = ActivityHost.objects.filter(activity=self.instance).values("organization") \
            if self.instance.pk else Organization.objects.none().values("pk")
        hosts_qs = Organization.objects.filter(Q(pk__in=pickable.values("pk")) | Q(pk__in=current_hosts)) \
            .order_by("path")
        self.fields["lead"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=Organization.objects.restrict(user, Action.CHANGE).values("pk")) | Q(pk__in=current_hosts)
            | Q(pk__in=_alliance_members_managed(user))).order_by("path")
        self.fields["co_hosts"].queryset = hosts_qs  # type: ignore[attr-defined]
        self.fields["invited_organizations"].queryset = hosts_qs  # type: ignore[attr-defined]
        pairs = Pair.objects.restrict(user).filter(status__in=LIVE_STATUSES)
        if self.instance.pk:
            pairs = pairs | Pair.objects.filter(activity_links__activity=self.instance)
        self.fields["pairs"].queryset = pairs.distinct().select_related("organ").prefetch_related("partners")  # type: ignore[attr-defined]
        self.scope_choices("alliance", Alliance.objects.restrict(user))
        self.fields["workstream"].queryset = Workstream.objects.filter(  # type: ignore[attr-defined]
            alliance__in=Alliance.objects.restrict(user).values("pk"), is_active=True).select_related("alliance")
        self.fields["workstream"].label_from_instance = lambda w: f"{w.alliance.name} · {w.name}"  # type: ignore[attr-defined]
        self.scope_choices("series", ActivitySeries.objects.restrict(user).filter(is_active=True))
        for name in ("co_hosts", "invited_organizations", "pairs"):
            _multi(self.fields[name])
        if self.instance.pk:
            links = list(ActivityHost.objects.filter(activity=self.instance))
            self.initial.setdefault("lead", next((link.organization_id for link in links if link.is_lead), None))
            self.initial.setdefault("co_hosts", [link.organization_id for link in links if not link.is_lead])
            self.initial.setdefault("pairs", list(self.instance.pairs.values_list("pk", flat=True)))
            self.initial.setdefault("invited_organizations",
                                    list(self.instance.invited_organizations.values_list("pk", flat=True)))
        elif self.fields["lead"].queryset.count() == 1:  # type: ignore[attr-defined]
            self.initial.setdefault("lead", self.fields["lead"].queryset.first())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        workstream, alliance = data.get("workstream"), data.get("alliance")
        if workstream is not None and alliance is None:
            data["alliance"] = workstream.alliance  # choosing a workstream says which alliance
        return data


def _alliance_members_managed(user: Any) -> Any:
    managed = Alliance.objects.restrict(user, Action.CHANGE).values("pk")
    return Membership.objects.filter(alliance__in=managed, status=MembershipStatus.ACTIVE).values("organization")


class RecordForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
                              required=False,
                              help_text=_("What was done, who spoke, what was decided."))
    outcomes = forms.CharField(label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000,
                               required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    unit = forms.CharField(label=_("Your unit"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AttendanceForm(forms.Form):
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), label=_("People present"),
                                            error_messages={"required": _("Choose at least one person.")})

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = queryset  # type: ignore[attr-defined]
        _multi(self.fields["people"], 8)


class RegisterForm(forms.Form):
    """The hosts register someone (an invited person, a member of a host)."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"),
                                    error_messages={"required": _("Choose a person."),
                                                    "invalid_choice": _("Choose a person from the list.")})

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = queryset  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300,
                            error_messages={"required": _("Describe the follow-up item.")})
    owner_organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Owner organization"),
                                                error_messages={"required": _("Choose who owns the item.")})
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = pickable_hosts(user).order_by("path")  # type: ignore[attr-defined]
        bootstrap(self)


class CompleteFollowUpForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(label=_("Result"), max_length=4000, required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), error_messages={"required": _("Choose a photo to upload.")})
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class SeriesForm(ScopedModelForm):
    class Meta:
        model = ActivitySeries
        fields = ["name", "owner", "kind", "first_month", "last_month", "programme", "participants",
                  "reminder_day", "description", "is_active"]
        widgets = {"first_month": MONTH, "last_month": MONTH, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_month", "last_month"):
            self.fields[name].input_formats = MONTH_FORMATS  # type: ignore[attr-defined]
        self.scope_choices("owner", Organization.objects.restrict(self.user, Action.CHANGE).order_by("path"))
        self.scope_choices("programme", PairingProgramme.objects.restrict(self.user, Action.CHANGE))
        self.fields["participants"].queryset = pickable_hosts(self.user).order_by("path")  # type: ignore[attr-defined]
        _multi(self.fields["participants"], 8)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("programme") and not data.get("participants"):
            self.add_error("participants", _("Choose the participating organizations, or a pairing programme."))
        return data


class MonthThemeForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=MONTH, input_formats=MONTH_FORMATS)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False,
                            help_text=_("Leave empty to remove the month's theme."))


class LedgerRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(choices=ActivityKind.choices, label=_("Activity kinds"),
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("An activity of any of these kinds fulfils the rule."),
                                      error_messages={"required": _("Choose at least one activity kind.")})
    period = forms.ChoiceField(choices=LedgerPeriod.choices, label=_("Period"))

    class Meta:
        model = LedgerRule
        fields = ["organization_type", "name", "name_en", "kinds", "period", "min_count", "position", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"


class FeedForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False,
                                          label=_("Organization"),
                                          empty_label=_("My calendar (everything I can see)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user).order_by("path")  # type: ignore[attr-defined]
        bootstrap(self)
