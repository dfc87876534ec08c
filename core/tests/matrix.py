"""The inherited permission matrix (after NetBox's ``ViewTestCases``): every scoped model subclasses
:class:`ScopedModelMatrix`, builds a few sample rows in the ``world`` fixture, says which rows each role sees and
changes, and inherits the checks of every way in — ``restrict``, the HTML list and detail (404 outside), the Excel
export, the API list and detail, and changing through the API (404 when not visible, 403 when visible but not
changeable). A model that keeps its reach also has the kept column compared with the declaration read from the
relations.

    class TestResourceMatrix(ScopedModelMatrix):
        model = Resource
        list_url = "/demands/resources/"
        api_url = "/api/v1/resources/"
        visible = {"admin": {"fz", "jj"}, "staff_fz": {"fz"}, ...}
        changeable = {...}

        def make_rows(self, world):
            return {"fz": resource_create(...), "jj": ...}
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

from django.db import models
from openpyxl import load_workbook

from core.permissions import Action

ROLES = ["admin", "auditor", "staff_fz", "staff_jj", "secretary_b1", "member", "norole"]
READ_ONLY = {"auditor", "member", "norole"}  # no change scope at all: the API refuses writes before looking


class ScopedModelMatrix:
    model: ClassVar[type[models.Model]]
    roles: ClassVar[list[str]] = ROLES  # a subclass may add users that make_rows creates (an alliance administrator)
    visible: ClassVar[dict[str, set[str]]]  # role -> keys of make_rows
    changeable: ClassVar[dict[str, set[str]]]  # role -> keys; roles left out change nothing
    list_url: ClassVar[str | None] = None  # the HTML list (links to each visible row's detail)
    detail: ClassVar[bool] = True  # the rows have an HTML detail page (get_absolute_url)
    export: ClassVar[bool] = True  # the HTML list exports to Excel (one row each, with ``export_key`` in a cell)
    api_url: ClassVar[str | None] = None  # the API list; details at <api_url><pk>/
    api_change: ClassVar[bool] = True  # the API detail accepts PATCH
    add_url: ClassVar[str | None] = None  # the HTML form that creates one
    creators: ClassVar[set[str]] = set()  # roles that may open it (and see the list's "Add"); the others get 403

    def make_rows(self, world: Any) -> dict[str, models.Model]:
        raise NotImplementedError

    def export_key(self, row: models.Model) -> str:
        return str(row)

    # The inherited checks: one set of rows, every role in turn (the checks only read; a PATCH sends no change) ---

    def test_every_role_sees_and_changes_exactly_its_rows(self, world: Any, client_for: Any) -> None:
        rows = self.make_rows(world)
        assert set().union(*self.visible.values()) <= set(rows), "expectations name rows that make_rows did not make"
        for role in self.roles:
            self.check_role(world, client_for, rows, role)

    def check_role(self, world: Any, client_for: Any, rows: dict[str, models.Model], role: str) -> None:
        self.check_sees(world, client_for, rows, role)
        self.check_changes(world, client_for, rows, role)
        self.check_creates(client_for, role)

    def check_creates(self, client_for: Any, role: str) -> None:
        if not self.add_url:
            return
        client = client_for(role)
        may = role in self.creators
        assert client.get(self.add_url).status_code == (200 if may else 403), role
        if self.list_url:
            assert (f'href="{self.add_url}"' in client.get(self.list_url).content.decode()) is may, role

    def _keys(self, rows: dict[str, models.Model], ids: Any) -> set[str]:
        ids = set(ids)
        return {key for key, row in rows.items() if row.pk in ids}

    def check_sees(self, world: Any, client_for: Any, rows: Any, role: str) -> None:
        user = world.users[role]
        expected = self.visible.get(role, set())
        manager = self.model._default_manager
        seen = self._keys(rows, manager.restrict(user).values_list("pk", flat=True))  # type: ignore[attr-defined]
        assert seen == expected, (role, seen)
        client = client_for(role)
        if self.list_url:
            page = client.get(self.list_url, {"per_page": 100}).content.decode()
            for key, row in rows.items():
                if self.detail:
                    assert (f'href="{row.get_absolute_url()}"' in page) is (key in expected), (role, key)  # type: ignore[attr-defined]
            if self.export:
                response = client.post(self.list_url, {"export": "xlsx"})
                sheet = load_workbook(io.BytesIO(response.content)).active
                exported = list(sheet.iter_rows(min_row=2, values_only=True))
                assert len(exported) == len(expected), role
                cells = {str(cell) for r in exported for cell in r}
                assert {self.export_key(rows[k]) for k in expected} <= cells, role
        if self.detail:
            for key, row in rows.items():
                status = client.get(row.get_absolute_url()).status_code  # type: ignore[attr-defined]
                assert status == (200 if key in expected else 404), (role, key)
        if self.api_url:
            listed = client.get(self.api_url, {"page_size": 200}).json()
            assert self._keys(rows, (r["id"] for r in listed.get("results", []))) == expected, role
            for key, row in rows.items():
                status = client.get(f"{self.api_url}{row.pk}/").status_code
                assert status == (200 if key in expected else 404), (role, key)

    def check_changes(self, world: Any, client_for: Any, rows: Any, role: str) -> None:
        user = world.users[role]
        expected = self.changeable.get(role, set())
        assert expected <= self.visible.get(role, set()), "a row that is changed must be seen"
        manager = self.model._default_manager
        changed = manager.restrict(user, Action.CHANGE).values_list("pk", flat=True)  # type: ignore[attr-defined]
        assert self._keys(rows, changed) == expected, (role, self._keys(rows, changed))
        if self.api_url and self.api_change:
            client = client_for(role)
            for key, row in rows.items():
                status = client.patch(f"{self.api_url}{row.pk}/", {}, content_type="application/json").status_code
                if role in READ_ONLY:
                    assert status in (403, 404), (role, key, status)
                elif key in expected:
                    assert status not in (403, 404), (role, key, status)
                else:
                    assert status == (403 if key in self.visible.get(role, set()) else 404), (role, key, status)


class KeptReachMatrix(ScopedModelMatrix):
    """For a model that keeps its reach on the row: the kept column lets each role see what the declaration, read
    from the relations, lets in."""

    def check_role(self, world: Any, client_for: Any, rows: dict[str, models.Model], role: str) -> None:
        super().check_role(world, client_for, rows, role)
        self.check_kept_reach(world, role)

    def check_kept_reach(self, world: Any, role: str) -> None:
        from core.visibility import reference_q

        user = world.users[role]
        manager = self.model._default_manager
        rule = reference_q(self.model, user)
        by_relations = manager.all() if rule is None else manager.filter(rule)
        assert set(manager.restrict(user).values_list("pk", flat=True)) == set(  # type: ignore[attr-defined]
            by_relations.values_list("pk", flat=True)), role
