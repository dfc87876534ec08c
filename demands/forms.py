from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from core.forms import ScopedModelForm, bootstrap
from core.permissions import Action
from organizations.models import Organization, Region

from . import selectors
from .choices import MatchOutcome
from .models import Demand, DemandCategory, Resource
from .report import GROUPS, default_period


class DemandForm(ScopedModelForm):
    """Raise a demand (an enterprise contact on a phone), or record one on someone's behalf (a liaison cadre).
    What the platform knows of the requester comes pre-filled (``selectors.requester_defaults``); a resource
    requested from the catalogue rides along as a hidden field."""

    class Meta:
        model = Demand
        fields = ["title", "category", "urgency", "description", "region", "alliance", "requester_kind",
                  "requester_name", "contact_name", "contact_phone", "on_behalf", "resource"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "resource": forms.HiddenInput,
                   "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                           "inputmode": "tel"}),
                   "contact_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DemandCategory.objects.filter(is_active=True)  # type: ignore[attr-defined]
        # Regions and alliances are public facts: anyone raising a demand may name them. Someone whose
        # organization (or whose unit's) belongs to alliances is offered those first: the ones they raise demands in.
        self.fields["region"].queryset = Region.objects.order_by("path")  # type: ignore[attr-defined]
        self.fields["alliance"].queryset = selectors.alliance_choices(self.user)  # type: ignore[attr-defined]
        self.fields["resource"].queryset = Resource.objects.restrict(self.user).offered()  # type: ignore[attr-defined]
        self.fields["contact_phone"].help_text = _("Stored encrypted; shown masked to the handlers.")
        self.fields["title"].error_messages["required"] = _("Give the demand a short title.")
        self.fields["description"].error_messages["required"] = _("Describe what is needed.")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class AcceptForm(forms.Form):
    open_for_claim = forms.BooleanField(label=_("Let the alliance's member organizations claim it"),
                                        required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class AssignForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Handler organization"),
                                          error_messages={"required": _("Choose the handler organization.")})
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = queryset  # type: ignore[attr-defined]
        bootstrap(self)


class ClaimForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Claim for"))

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = queryset  # type: ignore[attr-defined]
        bootstrap(self)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(i, str(i)) for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                              help_text=_("Required for a rating of 2 or less: the case is reopened for review."))


class CommentForm(forms.Form):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResourceForm(ScopedModelForm):
    """Offer a resource for an organization one is responsible for."""

    class Meta:
        model = Resource
        fields = ["title", "kind", "description", "organization", "provider_kind", "provider_name", "region",
                  "alliance", "capacity", "capacity_note", "available_from", "available_until", "terms",
                  "contact_name", "contact_phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "available_from": DATE,
                   "available_until": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices("organization", Organization.objects.restrict(self.user, Action.CHANGE).order_by("path"))
        self.fields["region"].queryset = Region.objects.order_by("path")  # type: ignore[attr-defined]
        self.scope_choices("alliance", Alliance.objects.restrict(self.user).order_by("name"))
        self.fields["contact_phone"].help_text = _("Stored encrypted; shown masked.")
        self.fields["title"].error_messages["required"] = _("Give the resource a short title.")
        self.fields["description"].error_messages["required"] = _("Describe what is offered.")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MatchForm(forms.Form):
    resource = forms.ModelChoiceField(queryset=Resource.objects.none(), label=_("Resource"))
    outcome = forms.ChoiceField(choices=MatchOutcome.choices, label=_("Outcome"))

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = queryset  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word or Excel document, or a photo."))


class ReportForm(forms.Form):
    group = forms.ChoiceField(label=_("By"), choices=[(k, v[2]) for k, v in GROUPS.items()], initial="alliance",
                              required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            return default_period({k: v for k, v in data.items() if v})
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["start"]) from exc
