"""Milestones due and overdue, and progress asked for, reach the owner organizations; comments reach whom they
name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from notifications.models import Notification
from projects import services
from projects.tasks import send_milestone_reminders

from .test_projects import make


def test_milestones_progress_and_mentions(world: Any) -> None:
    root_secretary = User.objects.create_user(username="sec_root", password="x-Correct-Horse-42")
    role_assign(actor=None, user=root_secretary, role=Role.SECRETARY, organization=world.orgs["fz-root"])
    project = make(world)
    today = timezone.localdate()
    first, second = project.milestones.order_by("position", "id")
    first.due_on, second.due_on = today + dt.timedelta(days=2), today - dt.timedelta(days=1)
    first.save()
    second.save()
    assert send_milestone_reminders(today) == 2
    assert send_milestone_reminders(today) == 2  # run again: told once
    titles = sorted(Notification.objects.filter(user=root_secretary).values_list("title", flat=True))
    assert titles == ["节点到期：签订协议", "节点逾期：首批项目落地"]
    assert Notification.objects.filter(user=world.users["staff_jj"], kind="projects.milestone_due").count() == 2

    services.project_request_progress(actor=world.users["admin"], project=project, note="月底前报送")
    asked = Notification.objects.get(user=root_secretary, kind="projects.progress_requested")
    assert "月底前报送" in asked.body
    assert project.events.filter(kind="requested").exists()

    services.project_comment(actor=root_secretary, project=project, note="@staff_jj 请确认首批项目")
    assert Notification.objects.filter(user=world.users["staff_jj"], kind="projects.mentioned").count() == 1
