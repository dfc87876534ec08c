"""The inherited permission matrix for pairing programmes and pairs (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from core.tests.matrix import ScopedModelMatrix
from pairing import services
from pairing.models import Pair, PairingProgramme
from pairing.tests.conftest import make_organs, make_programme, propose

BOTH = {"fz", "cross"}


def make_pairs(world: Any) -> dict[str, Any]:
    """A Fengze programme: fz-o1 ↔ fz-e1 in force, and fz-o2 ↔ the Jinjiang enterprise jj-e1 (across regions)."""
    organs = make_organs(world)
    programme = make_programme(organs)
    fz = services.pair_activate(actor=None, pair=propose(programme, organs["fz-o1"], world.orgs["fz-e1"]))
    cross = propose(programme, organs["fz-o2"], world.orgs["jj-e1"])
    return {"programme": programme, "fz": fz, "cross": cross}


class TestPairMatrix(ScopedModelMatrix):
    """Seen by the programme's managers and both sides; changed by the managers only."""

    model = Pair
    list_url = "/pairing/pairs/"
    api_url = "/api/v1/pairs/"
    visible = {"admin": BOTH, "auditor": BOTH, "staff_fz": BOTH, "staff_jj": {"cross"}, "secretary_b1": {"fz"},
               "member": {"fz"}}
    changeable = {"admin": BOTH, "staff_fz": BOTH}

    def make_rows(self, world: Any) -> dict[str, Any]:
        made = make_pairs(world)
        return {"fz": made["fz"], "cross": made["cross"]}

    def export_key(self, row: Any) -> str:
        return str(row.organ.name)


class TestPairingProgrammeMatrix(ScopedModelMatrix):
    """Seen with its owner or any of its pairs; changed by whoever may change the owner."""

    model = PairingProgramme
    list_url = "/pairing/"
    export = False
    api_url = "/api/v1/pairing-programmes/"
    add_url = "/pairing/add/"
    creators = {"admin", "staff_fz", "staff_jj"}  # organization departments run pairing programmes
    everyone = {"programme"}
    visible = {"admin": everyone, "auditor": everyone, "staff_fz": everyone, "staff_jj": everyone,
               "secretary_b1": everyone, "member": everyone}
    changeable = {"admin": everyone, "staff_fz": everyone}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return {"programme": make_pairs(world)["programme"]}
