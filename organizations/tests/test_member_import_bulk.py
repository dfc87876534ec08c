"""The member import in chunks: bulk writes, member counts, all-or-nothing across chunks, scope, audit, queries."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import make_id, xlsx
from core import audit
from core.crypto import blind_index, mask_id_number, mask_phone
from core.importing import Importer, ImportFileError, quick_clean
from core.models import AuditEvent
from organizations.importers import MemberImporter, MemberRowForm
from organizations.models import Organization, Person

HEADERS = ["Name", "Gender", "ID number", "Phone", "Organization", "Membership", "Joined the party on", "Job title"]


def run(user: Any, rows: list[list[Any]], **kwargs: Any) -> Any:
    content = xlsx(HEADERS, rows)
    with translation.override("en"):
        return MemberImporter(user).run(io.BytesIO(content), "members.xlsx", len(content), **kwargs)


def new_row(seq: int, org: str = "fz-e2", **changes: Any) -> list[Any]:
    birth = (dt.date(1970, 1, 1) + dt.timedelta(days=seq)).strftime("%Y%m%d")
    row = {"name": f"新成员{seq}", "gender": "女", "id": make_id("350503", birth, f"{seq % 1000:03d}"),
           "phone": f"139{seq:08d}", "org": org, "status": "Full member", "joined": "2015-07-01", "title": ""}
    row.update(changes)
    return [row["name"], row["gender"], row["id"], row["phone"], row["org"], row["status"], row["joined"],
            row["title"]]


def counts_are_live() -> bool:
    live = Organization.objects.annotate(live=Count("people", filter=Q(people__kind="member")))
    return all(org.member_count == org.live for org in live)


def errors_of(result: Any) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


@override_settings(IMPORT_CHUNK_ROWS=2)
def test_creates_updates_and_unchanged_across_chunks_keep_member_counts_live(world: Any) -> None:
    e1a, e1b = world.people["e1-a"], world.people["e1-b"]
    rows = [
        new_row(1, "fz-e1"),
        new_row(2, "fz-e2"),
        # e1-a exactly as stored: unchanged
        ["成员e1-a", "", e1a.id_number, e1a.phone, "fz-e1", "Full member", "", ""],
        # e1-b moves to fz-e2 and gets a title: updated, counts move
        ["成员e1-b", "", e1b.id_number, e1b.phone, "fz-e2", "Full member", "", "会计"],
        new_row(3, "某协会党支部"),  # by exact name
    ]
    before = Person.objects.count()
    result = run(world.users["staff_fz"], rows)
    assert result.ok, errors_of(result)
    assert (result.rows, result.created, result.updated, result.unchanged) == (5, 3, 1, 1)
    assert Person.objects.count() == before + 3
    e1b.refresh_from_db()
    assert (e1b.organization.code, e1b.title) == ("fz-e2", "会计")
    assert Organization.objects.get(code="fz-e1").member_count == 2  # e1-a, new 1 (e1-b left)
    assert Organization.objects.get(code="fz-e2").member_count == 3  # new 2, new 3, e1-b
    assert counts_are_live()  # in the import's own transaction: the recount task is not what makes them right
    created = Person.objects.get(id_number_index=blind_index(rows[0][2]))
    assert created.id_number == rows[0][2] and created.phone == rows[0][3]  # encrypted and read back
    assert created.gender == "female" and created.joined_party_on == dt.date(2015, 7, 1)

    again = run(world.users["staff_fz"], rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Person.objects.count() == before + 3 and counts_are_live()


@override_settings(IMPORT_CHUNK_ROWS=2)
def test_an_error_in_a_late_chunk_writes_nothing_and_every_error_is_reported(world: Any) -> None:
    rows = [new_row(i) for i in range(1, 7)]
    rows.append(new_row(7, phone="123"))  # row 8, fourth chunk
    rows.append(new_row(8, org="jj-e1"))  # row 9, fifth chunk: out of scope
    rows.append(new_row(9, id="350503199001010010"))  # row 10: bad check digit
    before = (Person.objects.count(), AuditEvent.objects.count(),
              list(Organization.objects.order_by("pk").values_list("member_count", flat=True)))
    result = run(world.users["staff_fz"], rows)
    assert not result.ok
    assert [(row, column) for row, column, _message in errors_of(result)] == [
        (8, "Phone"), (9, "Organization"), (10, "ID number")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    after = (Person.objects.count(), AuditEvent.objects.count(),
             list(Organization.objects.order_by("pk").values_list("member_count", flat=True)))
    assert after == before  # the first three chunks were written, then rolled back with the rest


@override_settings(IMPORT_CHUNK_ROWS=2)
def test_duplicate_id_number_in_a_later_chunk(world: Any) -> None:
    rows = [new_row(1), new_row(2), new_row(3), new_row(4)]
    rows.append(new_row(5, id=rows[0][2], name="又一个"))  # row 6 repeats row 2, two chunks later
    before = Person.objects.count()
    result = run(world.users["staff_fz"], rows)
    assert errors_of(result) == [(6, "", "Duplicate of row 2 in this file.")]
    assert Person.objects.count() == before


def test_scope_organization_and_existing_person(world: Any) -> None:
    jj_person = world.people["jj-a"]
    rows = [
        new_row(1, org="jj-e1"),  # an organization of the other district
        ["成员jj-a", "", jj_person.id_number, "", "fz-e2", "Full member", "", ""],  # a person of the other district
    ]
    result = run(world.users["staff_fz"], rows)
    assert errors_of(result) == [
        (2, "Organization", "No organization in your scope has this code or name (or the name is ambiguous)."),
        (3, "ID number", "This person is registered with an organization outside your scope; ask for a transfer."),
    ]
    # A secretary of fz-b1 reaches fz-e1 and fz-e2 but not fz-b2's member.
    b2 = world.people["b2-a"]
    result = run(world.users["secretary_b1"], [["成员b2-a", "", b2.id_number, "", "fz-e1", "Full member", "", ""],
                                               new_row(2, org="fz-b2")])
    assert [(row, column) for row, column, _m in errors_of(result)] == [(2, "ID number"), (3, "Organization")]
    jj_person.refresh_from_db()
    assert jj_person.organization.code == "jj-e1"


def test_one_audit_event_per_person_masked_as_the_services_mask(world: Any) -> None:
    e1b = world.people["e1-b"]
    rows = [new_row(1), ["成员e1-b", "", e1b.id_number, "13911112222", "fz-e1", "Full member", "", ""]]
    old_phone = e1b.phone
    result = run(world.users["staff_fz"], rows)
    assert (result.created, result.updated) == (1, 1)
    person = Person.objects.get(id_number_index=blind_index(rows[0][2]))
    created = AuditEvent.objects.get(action="create", object_type="organizations.person", object_id=str(person.pk))
    assert created.changes == audit.snapshot(person)  # what person_create would have written
    assert created.changes["id_number"] == mask_id_number(rows[0][2]) != rows[0][2]
    assert created.changes["phone"] == mask_phone(rows[0][3])
    assert created.actor == world.users["staff_fz"] and created.object_repr == person.name
    updated = AuditEvent.objects.get(action="update", object_type="organizations.person", object_id=str(e1b.pk))
    assert updated.changes == {"phone": [mask_phone(old_phone), mask_phone("13911112222")]}
    assert AuditEvent.objects.filter(action="import", object_type="organizations.person").count() == 1
    serialized = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert rows[0][2] not in serialized and "13911112222" not in serialized


def test_queries_per_chunk_not_per_row(world: Any) -> None:
    def rows(start: int, n: int) -> list[list[Any]]:
        return [new_row(i, org=("fz-e1", "fz-e2", "fz-b2")[i % 3]) for i in range(start, start + n)]

    with override_settings(IMPORT_CHUNK_ROWS=500), CaptureQueriesContext(connection) as small:
        assert run(world.users["staff_fz"], rows(1, 500)).created == 500
    with override_settings(IMPORT_CHUNK_ROWS=500), CaptureQueriesContext(connection) as large:
        assert run(world.users["staff_fz"], rows(1000, 1000)).created == 1000
    # A chunk costs a few queries plus one INSERT per batch of rows (the database's parameter limit decides the
    # batch: 62 people and 124 audit events on SQLite): twice the rows, about twice the queries, never one a row.
    assert len(large) <= 2 * len(small) + 5, (len(small), len(large))
    assert len(large) < 1000 / 15, len(large)
    assert counts_are_live()
    # Re-importing them, unchanged or changed (existing people: compared, updated, audited), is as cheap.
    with override_settings(IMPORT_CHUNK_ROWS=500), CaptureQueriesContext(connection) as unchanged:
        assert run(world.users["staff_fz"], rows(1000, 1000)).unchanged == 1000
    changed_rows = [[*row[:7], "新职务"] for row in rows(1000, 1000)]
    changed_rows[0][4] = "fz-e1" if changed_rows[0][4] != "fz-e1" else "fz-e2"  # one moves
    with override_settings(IMPORT_CHUNK_ROWS=500), CaptureQueriesContext(connection) as updated:
        assert run(world.users["staff_fz"], changed_rows).updated == 1000
    assert len(unchanged) < 20 and len(updated) < 1000 / 20, (len(unchanged), len(updated))
    assert counts_are_live()


def test_parallel_read_gives_the_same_result(world: Any) -> None:
    rows = [new_row(i) for i in range(1, 6)]
    result = run(world.users["staff_fz"], rows, parallel_read=True)
    assert (result.rows, result.created) == (5, 5)
    bad = run(world.users["staff_fz"], [new_row(7, phone="123"), new_row(8)], parallel_read=True)
    assert [(e.row, e.column) for e in bad.errors] == [(2, "Phone")]
    content = xlsx(["Name", "Colour"], [["x", "red"]])
    with pytest.raises(ImportFileError) as wrong:
        MemberImporter(world.users["staff_fz"]).run(io.BytesIO(content), "m.xlsx", len(content), parallel_read=True)
    assert "Colour" in " ".join(wrong.value.details)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "garbage")
        z.writestr("xl/workbook.xml", "garbage")
    with translation.override("en"), pytest.raises(ImportFileError, match="damaged"):
        MemberImporter(world.users["staff_fz"]).run(broken, "m.xlsx", len(broken.getvalue()), parallel_read=True)


def test_quick_validation_agrees_with_the_form(world: Any) -> None:
    """Plainly valid rows skip the form; for every kind of cell the result must be the form's (and a doubtful
    cell goes to the form, which words the message)."""
    rnd = random.Random(5)
    cells = {
        "name": ["林晓", "  林晓  ", "", None, "x" * 50, "x" * 51, 12, "a\x00b"],
        "gender": ["男", "female", "Female", "F", "", None, "女性", 1],
        "id_number": [make_id("350503", "19900101", "123"), " " + make_id("350503", "19900101", "123").lower(),
                      "350503199001010010", "", None, 350503199001011233, "3505031990010112345"],
        "phone": ["13800000000", " 138 0000 0000 ", "+8613800000000", "0595-22345678", "123", "", None,
                  13800000000, 1.38e10],
        "organization": ["fz-e2", " fz-e2 ", "", None, "y" * 201],
        "member_status": ["Full member", "正式党员", "预备党员", "probationary", "", "Member?", None],
        "joined_party_on": ["2015-07-01", " 2015-07-01 ", "2015/07/01", "2015-7-1", "2015-02-30", "", None,
                            dt.datetime(2015, 7, 1, 0, 0), dt.date(2015, 7, 1)],  # noqa: DTZ001  (cells)
        "title": ["", None, "工程师", "t" * 100, "t" * 101],
    }
    importer = MemberImporter(world.users["staff_fz"])
    plain = {key: values[0] for key, values in cells.items()}
    assert quick_clean(MemberRowForm, plain) is not None  # the quick path is taken for a plain row
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            for _ in range(400):
                raw = {key: rnd.choice(values) for key, values in cells.items()}
                quick = importer.clean_row(raw)
                form = Importer.clean_row(importer, raw)  # the form alone
                if form[0] is not None:
                    form[0]["id_number_index"] = blind_index(form[0]["id_number"])
                assert quick == form, raw


@override_settings(IMPORT_CHUNK_ROWS=2)
def test_a_conflict_only_the_database_sees_is_reported_and_nothing_is_written(world: Any, monkeypatch: Any) -> None:
    """Another import registers the same ID number between this chunk's look-up and its write: the unique index
    refuses the chunk, the report says so, and the file writes nothing."""
    from organizations import services

    rows = [new_row(1), new_row(2), new_row(3, title="a\tb \\ c")]  # a tab and a backslash travel through COPY
    original = MemberImporter.resolve_batch

    def racing(self: Any, chunk: Any) -> Any:
        resolved = list(original(self, chunk))
        if chunk[0][0] == 4:  # the second chunk
            services.person_create(actor=None, data={"kind": "member", "name": "别处导入", "id_number": rows[2][2],
                                                     "organization": Organization.objects.get(code="fz-e1"),
                                                     "member_status": "full"})
        return iter(resolved)

    monkeypatch.setattr(MemberImporter, "resolve_batch", racing)
    before = Person.objects.count()
    result = run(world.users["staff_fz"], rows)
    assert errors_of(result) == [(4, "", "Rows 4 to 4 could not be written: the same records were changed at the "
                                         "same time. Import the file again.")]
    # Nothing: the first chunk was rolled back (and so was the stand-in for the other import, which ran on this
    # connection; a real one would have committed on its own).
    assert Person.objects.count() == before

    monkeypatch.setattr(MemberImporter, "resolve_batch", original)
    assert run(world.users["staff_fz"], rows).created == 3
    assert Person.objects.get(id_number_index=blind_index(rows[2][2])).title == "a\tb \\ c"
