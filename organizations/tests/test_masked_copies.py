"""The stored masked copies of encrypted numbers (``core.crypto.MaskedCopyField``) always equal the mask of the
value, whichever way it was written, and lists read them instead of decrypting."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from core.crypto import mask_id_number, mask_phone
from organizations import services
from organizations.models import Organization, Person
from organizations.tests.test_member_import_bulk import new_row, run


def assert_copies_match() -> None:
    people = list(Person.objects.all())
    assert people
    for person in people:
        assert person.id_number_masked == mask_id_number(person.id_number), person.name
        assert person.phone_masked == mask_phone(person.phone), person.name
    for organization in Organization.objects.all():
        assert organization.contact_phone_masked == mask_phone(organization.contact_phone), organization.name


def test_copies_follow_every_kind_of_write(world: Any) -> None:
    assert world.people["e1-a"].phone_masked == "138****0010"
    assert_copies_match()
    person = world.people["b2-a"]
    services.person_update(actor=None, person=person, data={"phone": "13912345678"})
    person.refresh_from_db()
    assert person.phone_masked == "139****5678"
    person.phone = ""
    person.save(update_fields=["phone"])  # the copy is saved with its source
    person.refresh_from_db()
    assert person.phone_masked == ""
    organization = world.orgs["fz-b2"]
    services.organization_update(actor=None, organization=organization, data={"contact_phone": "0595-22881234"})
    organization.refresh_from_db()
    assert organization.contact_phone_masked == "059******1234"
    # An import inserts and updates without save().
    assert run(world.users["staff_fz"], [new_row(1), new_row(2)]).created == 2
    assert run(world.users["staff_fz"], [new_row(1, phone="13700001111")]).updated == 1
    assert Person.objects.get(name="新成员1").phone_masked == "137****1111"
    assert_copies_match()


def test_the_migration_fills_the_copies_of_existing_rows(world: Any) -> None:
    Person.objects.update(id_number_masked="", phone_masked="")
    Organization.objects.update(contact_phone_masked="")
    migration = importlib.import_module("organizations.migrations.0005_masked_copies")
    migration.fill_masked_copies(apps, None)
    assert_copies_match()
    assert Organization.objects.get(pk=world.orgs["fz-e1"].pk).contact_phone_masked == "138****1111"


def test_the_member_list_decrypts_nothing(world: Any) -> None:
    token = Token.objects.create(user=world.users["staff_fz"])
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/members/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["phone_masked"] for row in rows} >= {"138****0010"}
    page = [q["sql"] for q in queries.captured_queries if 'FROM "organizations_person"' in q["sql"]][-1]
    selected = set(page[len("SELECT "):page.index(" FROM ")].split(", "))
    assert {'"organizations_person"."phone_masked"', '"organizations_person"."id_number_masked"'} <= selected
    assert not {'"organizations_person"."phone"', '"organizations_person"."id_number"'} & selected


def test_the_web_list_and_its_export_read_no_ciphertext(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    for url, data in (("/organizations/people/", None), ("/organizations/people/", {"export": "xlsx"})):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 200
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "organizations_person"' in q["sql"]]
        assert reads and not any('"organizations_person"."phone",' in sql or '"organizations_person"."id_number",'
                                 in sql for sql in reads)
        assert any('"organizations_person"."phone_masked"' in sql for sql in reads)


def test_the_blind_index_has_no_pattern_matching_copy_on_postgresql(db: Any) -> None:
    """Only equality look-ups use it (migration 0006 drops Django's ``_like`` index: 273 MB at 3M members)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'organizations_person'")
        names = [name for (name,) in cursor.fetchall()]
    assert any("id_number_index" in name for name in names)  # the unique index stays
    assert not [name for name in names if name.endswith("_like")]
