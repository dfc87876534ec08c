"""One rule for a missing ID number in the form, the API and the import (issue 24 §8): a party member must have
one, a contact need not."""

from __future__ import annotations

from typing import Any

from conftest import make_id, xlsx
from organizations.models import Person

from .test_import import MEMBER_HEADERS_EN, upload


def member(world: Any, **extra: Any) -> dict[str, Any]:
    return {"kind": "member", "name": "新成员", "organization": world.orgs["fz-e1"].pk, "member_status": "full",
            "phone": "", **extra}


def test_form(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    before = Person.objects.count()
    response = client.post("/organizations/people/add/", member(world, id_number=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A party member&#x27;s ID number is required." in response.content.decode()
    full_width = make_id("350503", "19800101", "321").translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    assert client.post("/organizations/people/add/", member(world, id_number=full_width,
                                                             phone="+86 138-0013-8000")).status_code == 302
    created = Person.objects.exclude(pk__in=[p.pk for p in world.people.values()]).get()
    assert (created.id_number, created.phone) == (make_id("350503", "19800101", "321"), "13800138000")
    contact = {"kind": "contact", "name": "联络员", "organization": world.orgs["fz-e1"].pk, "id_number": "",
               "phone": ""}
    assert client.post("/organizations/people/add/", contact).status_code == 302
    assert Person.objects.count() == before + 2


def test_api(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    data = {"name": "新成员", "organization": world.orgs["fz-e1"].pk, "member_status": "full"}
    for missing in ({}, {"id_number": ""}):
        response = client.post("/api/v1/members/", {**data, **missing}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "id_number", "code": "id_number_required",
                                              "message": response.json()["errors"][0]["message"]}]
    impossible = client.post("/api/v1/members/", {**data, "id_number": make_id("350503", "19730229", "123")},
                             content_type="application/json")
    assert impossible.json()["errors"][0]["code"] == "id_birthdate"
    ok = client.post("/api/v1/members/", {**data, "id_number": make_id("350503", "19800101", "321")},
                     content_type="application/json")
    assert ok.status_code == 201
    # An update that leaves the number out keeps the stored one; clearing it is refused.
    url = f"/api/v1/members/{ok.json()['id']}/"
    assert client.patch(url, {"title": "会计"}, content_type="application/json").status_code == 200
    assert client.patch(url, {"id_number": ""}, content_type="application/json").status_code == 400
    contact = client.post("/api/v1/contacts/", {"name": "联络员", "organization": world.orgs["fz-e1"].pk},
                          content_type="application/json")
    assert contact.status_code == 201


def test_import(world: Any, client_for: Any) -> None:
    rows = [["王一", "男", "", "", "fz-e2", "Full member", "", ""],
            ["王二", "男", make_id("350503", "19730229", "011"), "", "fz-e2", "Full member", "", ""]]
    response = upload(client_for("staff_fz"), "members", xlsx(MEMBER_HEADERS_EN, rows))
    problems = [(e.row, e.message) for e in response.context["result"].errors]
    assert problems == [(2, "A party member's ID number is required."),
                        (3, "The birth date inside the ID number is not valid.")]
