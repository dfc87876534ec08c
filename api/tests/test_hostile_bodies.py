"""Hostile request bodies get a JSON 400 in the API's error format (issue 24 §5)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings


def assert_json_400(response: Any, code: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["errors"][0]["code"] == code and body["detail"]


def test_deeply_nested_json(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.raise_request_exception = False
    deep = "[" * 100_000 + "]" * 100_000
    assert_json_400(client.post("/api/v1/demands/", deep, content_type="application/json"), "parse_error")
    nested_object = '{"a":' * 100_000 + "1" + "}" * 100_000
    assert_json_400(client.patch(f"/api/v1/organizations/{world.orgs['fz-e1'].pk}/", nested_object,
                                 content_type="application/json"), "parse_error")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_oversized_body(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.raise_request_exception = False
    body = '{"title": "' + "x" * 4096 + '"}'
    response = client.post("/api/v1/demands/", body, content_type="application/json")
    assert_json_400(response, "request_too_large")
    assert "1 KB" in response.json()["detail"]
