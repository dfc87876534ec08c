from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.permissions import Action
from organizations.forms import ScopedModelForm
from organizations.models import Region

from .choices import MemberRole
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
