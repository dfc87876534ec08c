"""The inherited permission matrix for cooperation projects (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from alliances.tests.conftest import make_alliances
from core.tests.matrix import ROLES, ScopedModelMatrix
from projects import services
from projects.models import Project

EVERY_PROJECT = {"fz", "jj", "cbd"}


class TestProjectMatrix(ScopedModelMatrix):
    """Seen with an owner organization, by the alliance's administrators and by its active members; changed by
    whoever may change an owner and by the alliance's administrators."""

    model = Project
    roles = [*ROLES, "cbd_admin"]
    list_url = "/projects/"
    api_url = "/api/v1/projects/"
    visible = {"admin": EVERY_PROJECT, "auditor": EVERY_PROJECT, "staff_fz": {"fz", "cbd"},
               "staff_jj": {"jj", "cbd"}, "secretary_b1": {"fz", "cbd"}, "member": {"fz", "cbd"},
               "cbd_admin": {"cbd"}}
    changeable = {"admin": EVERY_PROJECT, "staff_fz": {"fz"}, "staff_jj": {"jj", "cbd"}, "secretary_b1": {"fz"},
                  "cbd_admin": {"cbd"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        o = world.orgs
        cbd = make_alliances(world)["cbd"]

        def project(title: str, owner: str, **data: Any) -> Project:
            return services.project_create(actor=None, owners=[o[owner]],
                                           data={"title": title, "description": "合作事项", **data})

        return {"fz": project("楼宇党建共建", "fz-e1"), "jj": project("商圈联防联治", "jj-e1"),
                "cbd": project("联盟首店招商", "jj-root", alliance=cbd)}

    def export_key(self, row: Any) -> str:
        return str(row.title)
