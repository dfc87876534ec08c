from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from activities.selectors import pickable_hosts
from alliances.models import Alliance, Workstream
from core.forms import ScopedModelForm, bootstrap
from demands.models import Demand, Resource
from organizations.models import Organization

from .choices import ProjectStatus
from .models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(ScopedModelForm):
    owners = forms.ModelMultipleChoiceField(queryset=Organization.objects.none(), label=_("Owner organizations"),
                                            error_messages={"required": _("Name at least one owner organization.")})
    lead = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Lead organization"),
                                  required=False, help_text=_("Empty: the first owner."))
    milestones = forms.CharField(label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("One per line; add “| 2026-12-31” for a due date."))

    field_order = ["title", "description", "alliance", "workstream", "owners", "lead", "origin", "origin_meeting",
                   "decision", "decided_on", "starts_on", "due_on", "demands", "resources", "activities",
                   "milestones"]

    class Meta:
        model = Project
        fields = ["title", "description", "alliance", "workstream", "origin", "origin_meeting", "decision",
                  "decided_on", "starts_on", "due_on", "demands", "resources", "activities"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "decision": forms.Textarea(attrs={"rows": 2}),
                   "decided_on": DATE, "starts_on": DATE, "due_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        owners = pickable_hosts(user).order_by("path")
        if self.instance.pk:
            owners = (owners | Organization.objects.filter(pk__in=self.instance.owners.values("pk"))).distinct()
            self.fields["owners"].initial = list(self.instance.owners.values_list("pk", flat=True))
            lead = self.instance.owner_links.filter(is_lead=True).first()
            self.fields["lead"].initial = lead.organization_id if lead else None
            del self.fields["milestones"]
        self.fields["owners"].queryset = owners  # type: ignore[attr-defined]
        self.fields["lead"].queryset = owners  # type: ignore[attr-defined]
        self.scope_choices("alliance", Alliance.objects.restrict(user).order_by("name"))
        self.fields["workstream"].queryset = Workstream.objects.filter(  # type: ignore[attr-defined]
            alliance__in=Alliance.objects.restrict(user))
        self.scope_choices("origin_meeting", Activity.objects.restrict(user).order_by("-starts_at"))
        models: tuple[tuple[str, Any], ...] = (("demands", Demand), ("resources", Resource), ("activities", Activity))
        for name, model in models:
            visible = model.objects.restrict(user)
            if self.instance.pk:
                visible = visible | model.objects.filter(pk__in=getattr(self.instance, name).values("pk"))
            self.fields[name].queryset = visible.distinct()  # type: ignore[attr-defined]
            self.fields[name].required = False

    def clean_milestones(self) -> list[dict[str, Any]]:
        rows = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            title, _sep, due = line.partition("|")
            if not title.strip():
                continue
            due_on = None
            if due.strip():
                try:
                    due_on = forms.DateField().clean(due.strip())
                except forms.ValidationError as exc:
                    raise forms.ValidationError(_("“%(line)s”: the due date is not a date.")
                                                % {"line": line.strip()}) from exc
            rows.append({"title": title.strip()[:200], "due_on": due_on})
        return rows


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False,
                                  help_text=_("Only without milestones; with milestones it follows them."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)


class CompleteMilestoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProjectStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class RequestProgressForm(forms.Form):
    note = forms.CharField(label=_("What you would like to know"), required=False, max_length=1000)


class CommentForm(forms.Form):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
