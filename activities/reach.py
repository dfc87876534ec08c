"""The reach kept on each activity (``Activity.reach``, see ``organizations.reach``): its hosts, its invited
organizations, for each linked pair the organ, the partners and the programme's owner (organization tokens), and
its invited people (``p:``). The alliance is a column of its own (``ActivityQuerySet.scope_q``); attendance is not
kept there (a hundred people an activity): a member's own attendance stays a semi-join of their person.

Refreshed in the transaction of every write that changes them: the activity's own relations
(``services._set_relations``), a pair's partners or a programme's owner (``pairing.signals.pair_sides_changed``),
and an organization moved, given another region or deleted (``organizations.reach.organizations_changed``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from core.permissions import Scope
from organizations import reach


def _models() -> SimpleNamespace:
    from organizations.models import Organization
    from pairing.models import Pair, PairPartner

    from .models import Activity, ActivityHost, ActivityPair

    return SimpleNamespace(Activity=Activity, ActivityHost=ActivityHost, ActivityPair=ActivityPair,
                           Invited=Activity.invited_organizations.through,
                           InvitedPeople=Activity.invited_people.through, Pair=Pair, PairPartner=PairPartner,
                           Organization=Organization)


def organizations_reaching(activity_ids: Iterable[int], m: SimpleNamespace) -> dict[int, set[int]]:
    """{activity id: the ids of the organizations it is seen through} (five queries for any number)."""
    ids = list(activity_ids)
    reaching: dict[int, set[int]] = {pk: set() for pk in ids}
    for model in (m.ActivityHost, m.Invited):
        for activity_id, organization_id in model.objects.filter(activity_id__in=ids).values_list(
                "activity_id", "organization_id"):
            reaching[activity_id].add(organization_id)
    pairs_of: dict[int, list[int]] = defaultdict(list)
    for activity_id, pair_id in m.ActivityPair.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "pair_id"):
        pairs_of[pair_id].append(activity_id)
    if pairs_of:
        sides: dict[int, set[int]] = defaultdict(set)
        for pair_id, organ_id, owner_id in m.Pair.objects.filter(pk__in=pairs_of).values_list(
                "pk", "organ_id", "programme__owner_id"):
            sides[pair_id].update((organ_id, owner_id))
        for pair_id, organization_id in m.PairPartner.objects.filter(pair_id__in=pairs_of).values_list(
                "pair_id", "organization_id"):
            sides[pair_id].add(organization_id)
        for pair_id, activity_ids_of_pair in pairs_of.items():
            for activity_id in activity_ids_of_pair:
                reaching[activity_id] |= sides[pair_id]
    return reaching


def computed_reach(activity_ids: Iterable[int], m: SimpleNamespace | None = None) -> dict[int, str]:
    """{activity id: its reach as it should be stored}, from the relations (seven queries for any number)."""
    m = m or _models()
    ids = list(activity_ids)
    reaching = organizations_reaching(ids, m)
    tokens = reach.tokens_of_organizations(m.Organization, {o for orgs in reaching.values() for o in orgs})
    people: dict[int, list[int]] = defaultdict(list)
    for pk, person_id in m.InvitedPeople.objects.filter(activity_id__in=ids).values_list("activity_id",
                                                                                         "person_id"):
        people[pk].append(person_id)
    return {pk: reach_from((t for o in orgs for t in tokens[o]), people[pk]) for pk, orgs in reaching.items()}


def reach_from(organization_tokens: Iterable[str], invited_people: Iterable[int]) -> str:
    """The reach from its parts (the benchmark's generator writes it so, without the relations in a database)."""
    return reach.reach_text([*organization_tokens, *(f"p:{pk}" for pk in invited_people)])


def refresh_activity_reach(activity_ids: Iterable[int], m: SimpleNamespace | None = None) -> int:
    """Recompute and store the reach of these activities; returns how many changed. Call inside the write's
    transaction."""
    m = m or _models()
    return reach.refresh(m.Activity, activity_ids, lambda batch: computed_reach(batch, m))


def rebuild_activity_reach(m: SimpleNamespace | None = None) -> int:
    """Recompute every activity's reach (after loading data in bulk, and to repair); returns how many changed."""
    m = m or _models()
    return reach.rebuild(m.Activity, lambda batch: computed_reach(batch, m))


def refresh_for_pairs(pair_ids: Iterable[int]) -> int:
    m = _models()
    return refresh_activity_reach(
        m.ActivityPair.objects.filter(pair_id__in=list(pair_ids)).values_list("activity_id", flat=True))


def on_organizations_changed(sender: Any, scope: Scope, **kwargs: Any) -> None:
    m = _models()
    reach.refresh_reached_through(m.Activity, scope, lambda batch: computed_reach(batch, m))


def on_pair_sides_changed(sender: Any, pair_ids: Iterable[int], **kwargs: Any) -> None:
    refresh_for_pairs(pair_ids)
