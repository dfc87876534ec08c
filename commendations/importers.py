"""Excel import of a campaign's quotas: one row per category and nominating organization with its places. Rows
name the category and the organization (code or exact name); a re-import changes the places. All-or-nothing, like
every import (core.importing); each row goes through ``services.quota_set``, which keeps a category's places within
its total and gives places only to organizations under the issuer (or the alliance's members)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Column, Importer, find_by_code_or_name
from core.permissions import Actor
from organizations.models import Organization

from . import services
from .models import Campaign, Quota


class QuotaRowForm(forms.Form):
    category = forms.CharField(max_length=60)
    organization = forms.CharField(max_length=200)
    number = forms.IntegerField(min_value=0, max_value=10000)


class QuotaImporter(Importer):
    title = gettext_lazy("Quotas")
    model = Quota
    row_form = QuotaRowForm
    columns = (
        Column("category", gettext_lazy("Category"), True, gettext_lazy("The category's name in this campaign."),
               "优秀共产党员"),
        Column("organization", gettext_lazy("Nominating organization"), True,
               gettext_lazy("Code or exact name of the party organization."), "泉州金融中心大厦联合党总支"),
        Column("number", gettext_lazy("Places"), True, "", "2"),
    )

    def __init__(self, actor: Actor, campaign: Campaign) -> None:
        super().__init__(actor)
        self.campaign = campaign
        self.categories = {c.name: c for c in campaign.categories.all()}
        self.visible = Organization.objects.restrict(actor)

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        problems: dict[str, str] = {}
        category = self.categories.get(data["category"].strip())
        if category is None:
            problems["category"] = _("No category “%(name)s” in this campaign.") % {"name": data["category"]}
        organization = find_by_code_or_name(self.visible, data["organization"].strip())
        if isinstance(organization, str):
            problems["organization"] = organization
        data["category_obj"], data["organization_obj"] = category, organization
        return problems

    def natural_key(self, data: dict[str, Any]) -> Any:
        return (data["category_obj"].pk, data["organization_obj"].pk)

    def save(self, data: dict[str, Any]) -> str:
        category, organization = data["category_obj"], data["organization_obj"]
        existing = Quota.objects.filter(category=category, organization=organization).first()
        if existing is not None and existing.number == data["number"]:
            return "unchanged"
        try:
            services.quota_set(actor=self.actor, category=category, organization=organization,
                               number=data["number"])
        except ValidationError as exc:  # reported on the row, in its words
            raise ValidationError(" ".join(exc.messages)) from exc
        return "updated" if existing is not None else "created"
