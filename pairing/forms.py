from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm, bootstrap
from core.permissions import Action
from organizations.models import Organization

from .choices import ORGAN_SECTORS, PARTNER_SECTORS, ReviewRating
from .models import Pair, PairingProgramme
from .selectors import pickable_organizations

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(ScopedModelForm):
    class Meta:
        model = PairingProgramme
        fields = ["name", "owner", "starts_on", "ends_on", "description", "max_partners_per_organ"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices("owner", Organization.objects.restrict(self.user, Action.CHANGE).order_by("path"))


class PairForm(ScopedModelForm):
    """The agreement. The organ is chosen when the pair is proposed and stays; partners may change until it ends."""

    partners = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), label=_("Partner organizations"),
        help_text=_("One or more enterprise or social organizations."))

    class Meta:
        model = Pair
        fields = ["organ", "starts_on", "ends_on", "target_activities_per_quarter", "goals", "teams_content",
                  "activities_content", "appeals_content"]
        widgets = {"starts_on": DATE, "ends_on": DATE, **{name: forms.Textarea(attrs={"rows": 3}) for name in
                                                         ("goals", "teams_content", "activities_content",
                                                          "appeals_content")}}

    def __init__(self, *args: Any, programme: PairingProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = programme or self.instance.programme
        pickable = pickable_organizations(programme, self.user)
        if self.instance.pk:  # current partners stay listed (and selected) even where the user cannot see them
            pickable = pickable | Organization.objects.filter(pk__in=self.instance.partners.values("pk"))
        pickable = pickable.distinct().order_by("path")
        self.fields["organ"].queryset = pickable.filter(sector__in=ORGAN_SECTORS)  # type: ignore[attr-defined]
        self.fields["partners"].queryset = pickable.filter(sector__in=PARTNER_SECTORS)  # type: ignore[attr-defined]
        self.fields["partners"].widget.attrs.update({"class": "form-select", "size": 8})
        self.fields["starts_on"].required = self.fields["ends_on"].required = False
        if not self.instance.pk:
            self.fields["starts_on"].help_text = self.fields["ends_on"].help_text = _(
                "Empty: the programme's period.")
        if self.instance.pk:
            self.fields["organ"].disabled = True
            self.initial["partners"] = list(self.instance.partners.all())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=_("New end date"), widget=DATE,
                              error_messages={"required": _("Choose the new end date."),
                                              "invalid": _("Choose the new end date.")})


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("Rating"), choices=ReviewRating.choices)
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        bootstrap(self)
