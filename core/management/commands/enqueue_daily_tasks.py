"""Enqueue the platform's daily tasks (run once a day from cron or a systemd timer; the worker runs them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue the daily background tasks listed in settings.DAILY_TASKS."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in settings.DAILY_TASKS:
            result = import_string(path).enqueue()
            self.stdout.write(f"enqueued {path} ({result.id})")
