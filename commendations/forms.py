from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from core.forms import ScopedModelForm, bootstrap
from core.permissions import Action
from organizations.choices import OrganizationType
from organizations.models import Organization

from .choices import CategoryKind, Finding, ObjectionAction, Opinion
from .models import Campaign, Category, Nomination

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Small(forms.Form):
    """A step's small form, with Bootstrap's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CampaignForm(ScopedModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "year", "issuer", "alliance", "basis", "nominate_from", "nominate_until", "review_until",
                  "decide_by", "notice_days"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3}), "nominate_from": DATE, "nominate_until": DATE,
                   "review_until": DATE, "decide_by": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices("issuer", Organization.objects.restrict(self.user, Action.CHANGE).order_by("path"))
        self.scope_choices("alliance", Alliance.objects.restrict(self.user, Action.CHANGE).order_by("name"))


class CategoryForm(Small):
    kind = forms.ChoiceField(label=_("Nominee"), choices=CategoryKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("优秀共产党员, 优秀党务工作者, 先进基层党组织 or another."))
    quota_total = forms.IntegerField(label=_("Total places"), min_value=1, max_value=10000)
    quota_rate = forms.DecimalField(label=_("Places per 100 members"), required=False, min_value=Decimal("0.01"),
                                    max_digits=5, decimal_places=2,
                                    help_text=_("Empty: fixed places. Otherwise computed when the campaign opens, "
                                                "rounded up; give the nominating organizations 0 places meanwhile."))
    two_new_share = forms.IntegerField(label=_("Two-new share target (%)"), required=False, min_value=0,
                                       max_value=100, help_text=_("Shown as a warning, never a condition."))
    deeds_max_length = forms.IntegerField(label=_("Deeds: most characters"), min_value=100, max_value=10000,
                                          initial=1500)
    full_member_required = forms.BooleanField(label=_("Full members only"), required=False)
    organization_types = forms.MultipleChoiceField(label=_("Organization types allowed"), required=False,
                                                   choices=OrganizationType.choices,
                                                   widget=forms.CheckboxSelectMultiple,
                                                   help_text=_("Empty: any type."))
    declaration_required = forms.BooleanField(label=_("Declaration of no disciplinary action required"),
                                              required=False, initial=True)


class QuotaForm(Small):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    organization = forms.ModelChoiceField(label=_("Nominating organization"), queryset=Organization.objects.none())
    number = forms.IntegerField(label=_("Places"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = campaign.categories.all()  # type: ignore[attr-defined]
        self.fields["organization"].queryset = Organization.objects.restrict(user).order_by("path")  # type: ignore[attr-defined]


class StageForm(Small):
    name = forms.CharField(label=_("Stage"), max_length=60)
    organization = forms.ModelChoiceField(label=_("Reviewing organization"), queryset=Organization.objects.none())
    integrity = forms.BooleanField(label=_("Integrity opinion (廉政意见) of the discipline-inspection body"),
                                   required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user).order_by("path")  # type: ignore[attr-defined]


class NominationForm(forms.ModelForm):
    """A new nomination by one organization: the nominee from the people and organizations under it."""

    class Meta:
        model = Nomination
        fields = ["category", "person", "organization", "deeds", "prior_honours", "declared"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5}), "prior_honours": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, campaign: Campaign, people: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign  # the model's own checks (a category of this campaign, deeds' length)
        self.fields["category"].queryset = campaign.categories.all()  # type: ignore[attr-defined]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["person"].help_text = _("For a person's category.")
        self.fields["organization"].help_text = _("For an organization's category.")
        bootstrap(self)


class NominationEditForm(ScopedModelForm):
    class Meta:
        model = Nomination
        fields = ["deeds", "prior_honours", "declared"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 6}), "prior_honours": forms.Textarea(attrs={"rows": 2})}


class ReviewForm(Small):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Needed to return or not recommend."))


class ReasonForm(Small):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class NoticeForm(Small):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    contact = forms.CharField(label=_("Contact for objections"), max_length=200,
                              help_text=_("The office and telephone that receive objections."))


class ObjectionForm(Small):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    objector_name = forms.CharField(label=_("Your name"), max_length=50)
    objector_unit = forms.CharField(label=_("Your unit"), max_length=200)
    objector_phone = forms.CharField(label=_("Your phone"), max_length=20)
    text = forms.CharField(label=_("Objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class HandleForm(Small):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    action = forms.ChoiceField(label=_("Action"), choices=[("", "—"), *ObjectionAction.choices], required=False,
                               help_text=_("Only for a partly founded objection: founded takes the nomination off "
                                           "the list, unfounded keeps it."))
    reply = forms.CharField(label=_("Reply to the objector"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(Small):
    number = forms.CharField(label=_("Document number"), max_length=60, help_text=_("e.g. 丰委〔2026〕12号"))
    date = forms.DateField(label=_("Date"), widget=DATE)
