"""Excel import of resource lists (资源清单): one row per resource. All-or-nothing, like every import (see
core.importing). Rows are matched on the offering organization and the title, so importing a corrected list again
updates those resources instead of adding new ones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Alliance
from core.importing import Column, Importer, LabelChoiceField, find_by_code_or_name
from core.permissions import Action, Actor
from core.validators import normalize_phone, validate_phone
from organizations.models import Organization, Region

from . import resources
from .choices import RequesterKind, ResourceKind
from .models import Resource

FIELDS = ("title", "kind", "description", "capacity", "capacity_note", "available_from", "available_until", "terms",
          "contact_name", "contact_phone")


class ResourceRowForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = LabelChoiceField(choices=ResourceKind.choices, aliases={"场地": ResourceKind.VENUE,
                                                                   "专家": ResourceKind.EXPERT,
                                                                   "志愿者": ResourceKind.VOLUNTEERS,
                                                                   "资金": ResourceKind.FUNDING,
                                                                   "培训": ResourceKind.TRAINING,
                                                                   "政策": ResourceKind.POLICY_ADVICE,
                                                                   "渠道": ResourceKind.CHANNEL})
    description = forms.CharField(max_length=5000)
    organization = forms.CharField(max_length=200)
    provider_name = forms.CharField(max_length=200, required=False)
    region = forms.CharField(max_length=100)
    alliance = forms.CharField(max_length=200, required=False)
    capacity = forms.IntegerField(min_value=0, required=False)
    capacity_note = forms.CharField(max_length=100, required=False)
    available_from = forms.DateField(required=False)
    available_until = forms.DateField(required=False)
    terms = forms.CharField(max_length=500, required=False)
    contact_name = forms.CharField(max_length=50, required=False)
    contact_phone = forms.CharField(max_length=20, required=False, validators=[validate_phone])

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"]) if self.cleaned_data["contact_phone"] else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("The end of availability must not be before its start."))
        return data


class ResourceImporter(Importer):
    title = gettext_lazy("Resources")
    model = Resource
    row_form = ResourceRowForm
    columns = (
        Column("title", gettext_lazy("Title"), True, "", "党群服务中心多功能厅"),
        Column("kind", gettext_lazy("Kind"), True,
               gettext_lazy("venue, policy advice, expert, volunteers, training course, funding, channel or other "
                            "(Chinese or English)."), "场地"),
        Column("description", gettext_lazy("Description"), True, "", "可容纳80人，配投影和音响，工作日免费预约。"),
        Column("organization", gettext_lazy("Offering organization"), True,
               gettext_lazy("Code or exact name of an organization you are responsible for."), "丰泽区机关第一党支部"),
        Column("provider_name", gettext_lazy("Provider"), False,
               gettext_lazy("The unit or person offering it, if not the organization itself."), ""),
        Column("region", gettext_lazy("Region"), True, gettext_lazy("Division code or exact name."), "丰泽区"),
        Column("alliance", gettext_lazy("Shared with alliance"), False, gettext_lazy("Exact name of an alliance."), ""),
        Column("capacity", gettext_lazy("Capacity"), False,
               gettext_lazy("A whole number; empty: not limited; 0: used up for now."), "80"),
        Column("capacity_note", gettext_lazy("Capacity note"), False, "", "80 座"),
        Column("available_from", gettext_lazy("Available from"), False, gettext_lazy("A date, e.g. 2026-01-01."), ""),
        Column("available_until", gettext_lazy("Available until"), False, gettext_lazy("A date."), ""),
        Column("terms", gettext_lazy("Terms"), False, "", "免费，提前三天预约"),
        Column("contact_name", gettext_lazy("Contact name"), False, "", "林老师"),
        Column("contact_phone", gettext_lazy("Contact phone"), False, "", "13900000000"),
    )

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.organizations = Organization.objects.restrict(actor, Action.CHANGE)
        self.alliances = Alliance.objects.restrict(actor)

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        problems: dict[str, str] = {}
        organization = find_by_code_or_name(self.organizations, data["organization"].strip())
        if isinstance(organization, str):
            problems["organization"] = organization
        data["organization_obj"] = organization
        ref = data["region"].strip()
        region = Region.objects.filter(code=ref).first() or Region.objects.filter(name=ref).first()
        if region is None:
            problems["region"] = _("No region “%(ref)s”; use its division code.") % {"ref": ref}
        data["region_obj"] = region
        data["alliance_obj"] = None
        if data["alliance"]:
            alliance = self.alliances.filter(name=data["alliance"].strip()).first()
            if alliance is None:
                problems["alliance"] = _("No alliance “%(name)s” that you belong to.") % {"name": data["alliance"]}
            data["alliance_obj"] = alliance
        return problems

    def natural_key(self, data: dict[str, Any]) -> Any:
        return (data["organization_obj"].pk, data["title"].strip())

    def save(self, data: dict[str, Any]) -> str:
        values: dict[str, Any] = {name: data[name] for name in FIELDS}
        values["title"] = values["title"].strip()
        values.update(organization=data["organization_obj"], region=data["region_obj"],
                      alliance=data["alliance_obj"], provider_name=data["provider_name"].strip(),
                      provider_kind=RequesterKind.UNIT if data["provider_name"].strip() else RequesterKind.ORGANIZATION)
        existing = Resource.objects.filter(organization=data["organization_obj"], title=values["title"]).first()
        if existing is None:
            resources.resource_create(actor=self.actor, data=values)
            return "created"
        changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if not changed:
            return "unchanged"
        resources.resource_update(actor=self.actor, resource=existing, data=changed)
        return "updated"
