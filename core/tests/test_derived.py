"""The derived-state registry: one call after a bulk write reaches the authorization cache and every keeper."""

from __future__ import annotations

from typing import Any

from core import authz_cache, derived
from core.permissions import Scope
from organizations.models import Organization, Person, RegionTally


def test_bulk_written_invalidates_and_runs_every_keeper(world: Any) -> None:
    seen: list[derived.BulkWrite] = []
    derived.register("test.probe", seen.append)
    try:
        before = authz_cache.cached("probe", lambda: "computed once")
        org = world.orgs["fz-e1"]
        tally = RegionTally.objects.get(region=org.region, sector=org.sector).members
        count = Organization.objects.get(pk=org.pk).member_count
        derived.bulk_written(Person, ids=[world.people["e1-a"].pk], member_deltas={org.pk: 2},
                             moved=Scope(org_ids=(org.pk,)))
        assert authz_cache.cached("probe", lambda: "computed again") == "computed again" != before
        [change] = seen
        assert (change.model, change.ids, dict(change.member_deltas)) == (Person, (world.people["e1-a"].pk,),
                                                                          {org.pk: 2})
        # The organizations app's keepers: counts and tallies moved once.
        assert Organization.objects.get(pk=org.pk).member_count == count + 2
        assert RegionTally.objects.get(region=org.region, sector=org.sector).members == tally + 2
    finally:
        derived._KEEPERS.pop("test.probe")
