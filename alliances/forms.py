from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm, bootstrap
from core.permissions import Action
from organizations.models import Organization, Region, Unit

from .choices import MemberRole, MembershipStatus, OrganizerPart
from .models import Alliance


class AllianceForm(ScopedModelForm):
    regions = forms.ModelMultipleChoiceField(queryset=Region.objects.none(), label=_("Regions"),
                                             help_text=_("Every region the alliance spans (one or more)."))

    class Meta:
        model = Alliance
        fields = ["name", "kind", "theme", "declaration", "founded_on", "status", "parent"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}),
                   "declaration": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.restrict(self.user)  # type: ignore[attr-defined]
        self.fields["regions"].widget.attrs.update({"class": "form-select", "size": 6})
        parents = Alliance.objects.restrict(self.user, Action.CHANGE)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.initial["regions"] = list(self.instance.regions.all())
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    chair_term_start = forms.DateField(label=_("chair term from"), required=False)
    chair_term_end = forms.DateField(label=_("chair term until"), required=False)


class WorkstreamForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40,
                           help_text=_("Letters, digits and hyphens; fixed once created (e.g. “culture”)."))
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(label=_("description"), max_length=2000, required=False)


class OrganizerForm(forms.Form):
    part = forms.ChoiceField(label=_("part"), choices=OrganizerPart.choices)
    organization = forms.ModelChoiceField(label=_("organization"), queryset=Organization.objects.none(),
                                          required=False)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("Or a unit that is not a party organization, e.g. an events company."))

    def __init__(self, *args: Any, user: Any, alliance: Alliance, **kwargs: Any) -> None:
        """Organizers come from what the user sees and from the alliance's own members (an alliance's
        administrator may see nothing of the tree itself)."""
        super().__init__(*args, **kwargs)
        members = alliance.memberships.filter(status=MembershipStatus.ACTIVE)
        organizations = Organization.objects.filter(
            Q(pk__in=Organization.objects.restrict(user).values("pk")) | Q(pk__in=members.values("organization_id")))
        units = Unit.objects.filter(Q(pk__in=Unit.objects.restrict(user).values("pk"))
                                    | Q(pk__in=members.values("organization__unit_id")))
        self.fields["organization"].queryset = organizations.order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.order_by("name")  # type: ignore[attr-defined]
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("organization")) == bool(data.get("unit")):
            raise forms.ValidationError(_("Choose either a party organization or a unit as the organizer."))
        return data
