"""HTML pages: forms with translated validation, masked data, tree browsing, empty states."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from organizations.models import Organization, Person


def test_tree_page_and_lazy_children(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    page = client.get("/organizations/tree/").content.decode()
    assert world.orgs["fz-root"].name in page and world.orgs["jj-root"].name not in page
    children = client.get(f"/organizations/tree/?parent={world.orgs['fz-b1'].pk}").content.decode()
    assert world.orgs["fz-e1"].name in children and world.orgs["fz-b2"].name not in children
    assert client.get(f"/organizations/tree/?parent={world.orgs['jj-root'].pk}").status_code == 404


def test_secretary_tree_starts_at_their_organization(world: Any, client_for: Any) -> None:
    page = client_for("secretary_b1").get("/organizations/tree/").content.decode()
    assert world.orgs["fz-b1"].name in page and world.orgs["fz-root"].name not in page


def test_person_page_masks_and_reveal_is_audited(world: Any, client_for: Any) -> None:
    person = world.people["e1-a"]
    client = client_for("staff_fz")
    page = client.get(f"/organizations/people/{person.pk}/").content.decode()
    assert person.id_number not in page and person.id_number_masked in page
    assert person.phone not in page
    revealed = client.post(f"/organizations/people/{person.pk}/reveal/").content.decode()
    assert person.id_number in revealed
    assert AuditEvent.objects.filter(action="reveal", object_id=str(person.pk)).count() == 1
    assert client.get(f"/organizations/people/{person.pk}/reveal/").status_code == 405
    sec_page = client_for("secretary_b1").get(f"/organizations/people/{person.pk}/").content.decode()
    assert 'data-testid="reveal"' not in sec_page
    assert client_for("secretary_b1").post(f"/organizations/people/{person.pk}/reveal/").status_code == 403


def test_create_organization_form_with_translated_errors(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    client.cookies["django_language"] = "en"
    bad = client.post("/organizations/add/", {"name": "", "type": "branch", "region": world.regions["fz"].pk,
                                              "contact_phone": "12"})
    assert bad.status_code == 200
    form = bad.context["form"]
    assert set(form.errors) >= {"name", "contact_phone", "sector"}
    client.cookies["django_language"] = "zh-hans"
    bad_zh = client.post("/organizations/add/", {"name": "", "type": "branch", "region": world.regions["fz"].pk})
    assert "该字段是必填项" in bad_zh.content.decode()
    ok = client.post("/organizations/add/", {"name": "新支部", "type": "branch", "sector": "non_public",
                                             "region": world.regions["fz"].pk, "parent": world.orgs["fz-b2"].pk})
    assert ok.status_code == 302
    assert Organization.objects.get(name="新支部").parent == world.orgs["fz-b2"]


def test_edit_person_keeps_sensitive_values_when_left_empty(world: Any, client_for: Any) -> None:
    person = world.people["e1-a"]
    client = client_for("staff_fz")
    form_page = client.get(f"/organizations/people/{person.pk}/edit/").content.decode()
    assert person.id_number not in form_page and person.phone not in form_page
    response = client.post(f"/organizations/people/{person.pk}/edit/", {
        "kind": "member", "name": "改名", "organization": world.orgs["fz-e1"].pk, "member_status": "full",
        "id_number": "", "phone": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "改名" and person.id_number == world.people["e1-a"].id_number


def test_view_only_user_gets_403_on_edit_and_404_outside(world: Any, client_for: Any) -> None:
    assert client_for("auditor").get(f"/organizations/{world.orgs['fz-e1'].pk}/edit/").status_code == 403
    assert client_for("staff_jj").get(f"/organizations/{world.orgs['fz-e1'].pk}/edit/").status_code == 404


def test_delete_view(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    e2 = world.orgs["fz-e2"]
    assert client.post(f"/organizations/{e2.pk}/delete/").status_code == 302
    assert not Organization.objects.filter(pk=e2.pk).exists()
    blocked = client.post(f"/organizations/{world.orgs['fz-b1'].pk}/delete/", follow=True)
    assert "sub-organizations" in blocked.content.decode() or "下级" in blocked.content.decode()


def test_list_pages_query_count_constant(world: Any, client_for: Any) -> None:
    from organizations import services

    client = client_for("admin")
    for url in ["/organizations/", "/organizations/people/", "/organizations/units/", "/", "/audit/"]:
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for i in range(10):
            services.person_create(actor=None, data={"name": f"多{i}", "organization": world.orgs["fz-b2"],
                                                     "member_status": "full"})
        client.get(url)  # the writes invalidated the cached roles (core.authz_cache): compare warm with warm
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == len(before), (url, [q["sql"] for q in after.captured_queries])


def test_empty_states(db: Any, client: Any) -> None:
    from accounts.models import User

    user = User.objects.create_user(username="lonely", password="Correct-Horse-42")
    client.force_login(user)
    assert Person.objects.count() == 0
    client.cookies["django_language"] = "en"
    assert "Nothing here yet" in client.get("/organizations/").content.decode()
    assert "Nothing waits for you now" in client.get("/").content.decode()
    assert "No organizations are in your scope" in client.get("/dashboard/").content.decode()


def test_phone_size_pages_render(world: Any, client_for: Any) -> None:
    page = client_for("staff_fz").get("/").content.decode()
    assert 'name="viewport"' in page and "navbar-toggler" in page


def test_two_new_filter_ui_and_api(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    rows = client.get("/api/v1/organizations/?two_new=true").json()["results"]
    assert {r["id"] for r in rows} == {world.orgs["fz-e1"].pk, world.orgs["fz-e2"].pk}
    rows = client.get("/api/v1/organizations/?two_new=false").json()["results"]
    assert {r["id"] for r in rows} == {world.orgs[c].pk for c in ("fz-root", "fz-b1", "fz-b2")}
    assert client.get("/api/v1/organizations/?two_new=maybe").status_code == 400
    page = client.get("/organizations/?two_new=true").content.decode()
    assert f'href="/organizations/{world.orgs["fz-e1"].pk}/"' in page
    assert f'href="/organizations/{world.orgs["fz-b2"].pk}/"' not in page
