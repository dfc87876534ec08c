from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from core.models import AuditEvent, ImmutableError
from organizations import services


def test_every_service_write_is_audited_with_masked_sensitive_values(world: Any) -> None:
    person = world.people["e1-a"]
    actor = world.users["staff_fz"]
    services.person_update(actor=actor, person=person, data={"phone": "13911112222", "title": "工程师"})
    event = AuditEvent.objects.filter(action="update", object_id=str(person.pk)).latest("id")
    assert event.actor == actor
    assert event.changes["title"] == ["", "工程师"]
    old, new = event.changes["phone"]
    assert new == "139****2222" and "*" in old
    created = AuditEvent.objects.get(action="create", object_type="organizations.person", object_id=str(person.pk))
    assert "*" in created.changes["id_number"]
    assert "id_number_index" not in created.changes


def test_no_change_no_audit_row(world: Any) -> None:
    before = AuditEvent.objects.count()
    services.organization_update(actor=None, organization=world.orgs["fz-e1"], data={"name": "某科技公司党支部"})
    assert AuditEvent.objects.count() == before


def test_app_cannot_edit_or_delete_audit_rows(world: Any) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.object_repr = "tampered"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().update(object_repr="x")
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_update_and_delete(world: Any) -> None:
    event_id = AuditEvent.objects.values_list("id", flat=True).first()
    for sql in ("UPDATE core_auditevent SET object_repr = 'x' WHERE id = %s",
                "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event_id])
    assert AuditEvent.objects.filter(id=event_id).exists()


def test_login_and_failed_login_are_audited(world: Any, client: Any) -> None:
    client.post("/accounts/login/", {"username": "staff_fz", "password": "wrong-password"})
    assert AuditEvent.objects.filter(action="login_failed", object_repr="staff_fz").exists()
    client.post("/accounts/login/", {"username": "staff_fz", "password": "Correct-Horse-42"})
    assert AuditEvent.objects.filter(action="login", actor=world.users["staff_fz"]).exists()
