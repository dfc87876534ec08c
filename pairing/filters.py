from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SubtreeFilter, visible
from core.tree import subtree_q
from organizations.models import Region

from .choices import PairStatus
from .models import Pair, PairingProgramme, PairPartner

# Choices offered to the requesting user: what they see.
_REGIONS = visible("organizations.Region")
_PAIRING_PROGRAMMES = visible("pairing.PairingProgramme")


class PairingProgrammeFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    region = SubtreeFilter(queryset=_REGIONS, path_field="owner__region__path", label=_("Region"))
    running_on = filters.DateFilter(method="running", label=_("Running on"))

    class Meta:
        model = PairingProgramme
        fields = ["q", "region", "running_on"]

    def search(self, qs: QuerySet[PairingProgramme], name: str, value: str) -> QuerySet[PairingProgramme]:
        return qs.filter(Q(name__icontains=value) | Q(owner__name__icontains=value))

    def running(self, qs: QuerySet[PairingProgramme], name: str, value: Any) -> QuerySet[PairingProgramme]:
        return qs.filter(starts_on__lte=value, ends_on__gte=value)


class PairFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"),
                           help_text=_("Name of the organ or of a partner organization."))
    programme = filters.ModelChoiceFilter(queryset=_PAIRING_PROGRAMMES, label=_("Programme"))
    status = filters.MultipleChoiceFilter(choices=PairStatus.choices, label=_("Status"))
    region = SubtreeFilter(queryset=_REGIONS, method="in_region", label=_("Region"),
                           help_text=_("Pairs with the organ or a partner in this region."))
    organization = filters.NumberFilter(method="with_organization", label=_("Organization (id)"))
    running_on = filters.DateFilter(method="running", label=_("Running on"))

    class Meta:
        model = Pair
        fields = ["q", "programme", "status", "region", "organization", "running_on"]

    def search(self, qs: QuerySet[Pair], name: str, value: str) -> QuerySet[Pair]:
        partner = PairPartner.objects.filter(pair=OuterRef("pk"), organization__name__icontains=value)
        return qs.filter(Q(organ__name__icontains=value) | Q(Exists(partner)))

    def in_region(self, qs: QuerySet[Pair], name: str, value: Region | None) -> QuerySet[Pair]:
        if not value:
            return qs
        partner = PairPartner.objects.filter(subtree_q(value.path, "organization__region__path"), pair=OuterRef("pk"))
        return qs.filter(subtree_q(value.path, "organ__region__path") | Q(Exists(partner)))

    def with_organization(self, qs: QuerySet[Pair], name: str, value: Any) -> QuerySet[Pair]:
        partner = PairPartner.objects.filter(pair=OuterRef("pk"), organization_id=value)
        return qs.filter(Q(organ_id=value) | Q(Exists(partner)))

    def running(self, qs: QuerySet[Pair], name: str, value: Any) -> QuerySet[Pair]:
        return qs.filter(starts_on__lte=value, ends_on__gte=value)


