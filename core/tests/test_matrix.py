"""The inherited permission matrix for the audit log (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from core.models import AuditEvent
from core.tests.matrix import ScopedModelMatrix


class TestAuditEventMatrix(ScopedModelMatrix):
    """Platform-wide: only unscoped auditors and platform administrators read it (nobody can change a row)."""

    model = AuditEvent
    detail = False
    api_url = "/api/v1/audit-events/"
    api_change = False
    visible = {"admin": {"row"}, "auditor": {"row"}}
    changeable = {"admin": {"row"}}  # the scope reaches it; the table itself refuses updates

    def make_rows(self, world: Any) -> dict[str, Any]:
        row = AuditEvent.objects.order_by("pk").first()
        assert row is not None  # the world's set-up is audited
        return {"row": row}
