"""Excel import of a programme's pairing list (e.g. the 9 × 12 Xiangtan list): one row per pair, the partner
organizations separated by “、” or “;”. All-or-nothing, like every import (see core.importing)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Column, Importer, find_by_code_or_name
from core.permissions import Actor
from organizations.models import Organization

from . import services
from .choices import LIVE_STATUSES
from .models import Pair, PairingProgramme
from .selectors import pickable_organizations

_SEPARATORS = re.compile(r"[、;；\n]+")


class PairRowForm(forms.Form):
    organ = forms.CharField(max_length=200)
    partners = forms.CharField(max_length=2000)
    starts_on = forms.DateField(required=False)
    ends_on = forms.DateField(required=False)
    target_activities_per_quarter = forms.IntegerField(min_value=0, max_value=31, required=False)
    goals = forms.CharField(max_length=4000, required=False)
    teams_content = forms.CharField(max_length=4000, required=False)
    activities_content = forms.CharField(max_length=4000, required=False)
    appeals_content = forms.CharField(max_length=4000, required=False)


class PairImporter(Importer):
    title = gettext_lazy("Pairs")
    model = Pair
    row_form = PairRowForm
    columns = (
        Column("organ", gettext_lazy("Organ organization"), True,
               gettext_lazy("Code or exact name of the organ's party organization."), "湘潭高新区科技创新局党支部"),
        Column("partners", gettext_lazy("Partner organizations"), True,
               gettext_lazy("Codes or exact names, separated by “、” or “;”."),
               "湘潭某科技股份有限公司党支部、湘潭某新材料有限公司党支部"),
        Column("starts_on", gettext_lazy("Starts on"), False, gettext_lazy("Empty: the programme's start."),
               "2024-05-16"),
        Column("ends_on", gettext_lazy("Ends on"), False, gettext_lazy("Empty: the programme's end."), "2026-12-31"),
        Column("target_activities_per_quarter", gettext_lazy("Joint activities per quarter"), False,
               gettext_lazy("Empty: 1."), "3"),
        Column("goals", gettext_lazy("Goals"), False, "", "以党建共建促进企业发展"),
        Column("teams_content", gettext_lazy("Teams trained together"), False, "", "联合开展党务干部培训"),
        Column("activities_content", gettext_lazy("Activities held together"), False, "", "每月联合开展主题党日"),
        Column("appeals_content", gettext_lazy("Appeals settled together"), False, "", "收集企业诉求，定期调度"),
    )

    def __init__(self, actor: Actor, programme: PairingProgramme) -> None:
        super().__init__(actor)
        self.programme = programme
        self.visible = pickable_organizations(programme, actor)

    def _find(self, ref: str) -> Organization | str:
        """The organization a cell names, or the message saying why it names none."""
        return find_by_code_or_name(self.visible, ref)

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        problems: dict[str, str] = {}
        organ = self._find(data["organ"].strip())
        if isinstance(organ, str):
            problems["organ"] = organ
        data["organ_obj"] = organ
        partners: list[Organization] = []
        messages: list[str] = []
        for ref in (part.strip() for part in _SEPARATORS.split(data["partners"])):
            if not ref:
                continue
            found = self._find(ref)
            if isinstance(found, str):
                messages.append(found)
            else:
                partners.append(found)
        if messages:
            problems["partners"] = " ".join(messages)
        elif not partners:
            problems["partners"] = _("Name at least one partner organization.")
        data["partner_objs"] = partners
        if not problems:  # the pair's own rules, against what is already stored (rows of this file: on save)
            existing = self._existing(organ, partners)  # type: ignore[arg-type]
            default = existing or self.programme  # empty dates keep the pair's own (or take the programme's)
            try:
                services.check_pair(programme=self.programme, organ=organ, partners=partners,  # type: ignore[arg-type]
                                    starts_on=data["starts_on"] or default.starts_on,
                                    ends_on=data["ends_on"] or default.ends_on,
                                    exclude=existing.pk if existing else None)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    problems[name if name in self.row_form.base_fields else "organ"] = " ".join(messages)
        return problems

    def _existing(self, organ: Organization, partners: list[Organization]) -> Pair | None:
        """The live pair of this programme with exactly these organizations (the row updates it), if any."""
        wanted = {p.pk for p in partners}
        for pair in self.programme.pairs.filter(organ=organ, status__in=LIVE_STATUSES).prefetch_related("partners"):
            if {p.pk for p in pair.partners.all()} == wanted:
                return pair
        return None

    def natural_key(self, data: dict[str, Any]) -> Any:
        return (data["organ_obj"].pk, frozenset(p.pk for p in data["partner_objs"]))

    def save(self, data: dict[str, Any]) -> str:
        values = {k: data[k] for k in services.PAIR_FIELDS if data.get(k) not in (None, "")}
        organ, partners = data["organ_obj"], data["partner_objs"]
        pair = self._existing(organ, partners)
        if pair is not None:
            changed = {k: v for k, v in values.items() if getattr(pair, k) != v}
            if not changed:
                return "unchanged"
            services.pair_update(actor=self.actor, pair=pair, data=changed)
            return "updated"
        services.pair_create(actor=self.actor, programme=self.programme, organ=organ, partners=partners, data=values)
        return "created"
