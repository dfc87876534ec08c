from __future__ import annotations

from typing import Any

from pairing.models import Pair

from .conftest import propose


def test_programme_and_pair_through_the_api(world: Any, organs: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    created = client.post("/api/v1/pairing-programmes/", {
        "name": "丰泽区机关—两新结对（2025）", "owner": organs["fz-organs"].pk, "starts_on": "2025-01-01",
        "ends_on": "2026-12-31", "max_partners_per_organ": 3}, content_type="application/json")
    assert created.status_code == 201, created.content
    programme = created.json()["id"]
    pair = client.post("/api/v1/pairs/", {
        "programme": programme, "organ": organs["fz-o1"].pk, "partners": [world.orgs["fz-e1"].pk],
        "goals": "共建共促", "target_activities_per_quarter": 2}, content_type="application/json")
    assert pair.status_code == 201, pair.content
    body = pair.json()
    assert body["status"] == "proposed" and body["starts_on"] == "2025-01-01"
    assert body["partner_details"][0]["name"] == world.orgs["fz-e1"].name
    assert body["documents"]["plaque"] == f"/pairing/pairs/{body['id']}/plaque.pdf"
    pid = body["id"]
    assert client.post(f"/api/v1/pairs/{pid}/activate/").json()["status"] == "active"
    review = client.post(f"/api/v1/pairs/{pid}/reviews/", {"year": 2025, "rating": "good", "comments": "好"},
                         content_type="application/json")
    assert review.status_code == 201, review.content
    again = client.post(f"/api/v1/pairs/{pid}/reviews/", {"year": 2025, "rating": "good"},
                        content_type="application/json")
    assert again.status_code == 400 and "year" in again.json()
    ended = client.post(f"/api/v1/pairs/{pid}/end/", {"reason": "期满"}, content_type="application/json")
    assert ended.json()["status"] == "ended"
    illegal = client.post(f"/api/v1/pairs/{pid}/activate/")
    assert illegal.status_code == 400 and "non_field_errors" in illegal.json()


def test_bad_pair_payloads_get_precise_errors_and_write_nothing(world: Any, organs: Any, programme: Any,
                                                                client_for: Any) -> None:
    client = client_for("staff_fz")
    base = {"programme": programme.pk, "organ": organs["fz-o1"].pk}
    cases = [
        ({**base, "partners": [organs["fz-o1"].pk]}, "partners", "cannot be paired with itself"),
        ({**base, "partners": []}, "partners", ""),
        ({**base, "partners": [world.orgs["fz-e1"].pk], "starts_on": "2020-01-01"}, "starts_on", "within"),
        ({**base, "partners": [999999]}, "partners", ""),
        ({**base, "partners": [world.orgs["fz-e1"].pk], "target_activities_per_quarter": -1},
         "target_activities_per_quarter", ""),
    ]
    for payload, field, text in cases:
        response = client.post("/api/v1/pairs/", payload, content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (payload, response.content)
        assert field in response.json(), response.json()
        assert text in " ".join(response.json()[field])
    assert not Pair.objects.exists()


def test_api_scoping_of_pairs(world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    fz = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    cross = propose(programme, organs["fz-o2"], world.orgs["jj-e1"])
    ids = {name: {p["id"] for p in client_for(name).get("/api/v1/pairs/").json()["results"]}
           for name in ("staff_fz", "staff_jj", "secretary_b1", "norole")}
    assert ids == {"staff_fz": {fz.pk, cross.pk}, "staff_jj": {cross.pk}, "secretary_b1": {fz.pk}, "norole": set()}
    # Seeing a pair is not managing it.
    assert client_for("staff_jj").post(f"/api/v1/pairs/{cross.pk}/activate/").status_code == 403
    assert client_for("secretary_b1").patch(f"/api/v1/pairs/{fz.pk}/", {"goals": "改"},
                                            content_type="application/json").status_code == 403
    assert client_for("staff_jj").get(f"/api/v1/pairs/{fz.pk}/").status_code == 404
    moved = client_for("staff_fz").patch(f"/api/v1/pairs/{fz.pk}/", {"organ": organs["fz-o2"].pk},
                                         content_type="application/json")
    assert moved.status_code == 400
    # Filters are the UI's.
    found = client_for("staff_fz").get("/api/v1/pairs/", {"organization": world.orgs["jj-e1"].pk}).json()
    assert [p["id"] for p in found["results"]] == [cross.pk]


def test_suggestions_endpoint(world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    response = client_for("staff_fz").get(f"/api/v1/pairing-programmes/{programme.pk}/suggestions/",
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = {row["organization"]: row for row in response.json()["results"]}
    best = rows[world.orgs["fz-e1"].pk]["suggestions"][0]
    assert best["organ"] == organs["fz-o1"].pk
    assert any(reason.startswith("Industry fit") for reason in best["reasons"])
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    assert client_for("secretary_b1").get(
        f"/api/v1/pairing-programmes/{programme.pk}/suggestions/").status_code == 403
