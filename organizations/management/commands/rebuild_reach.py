"""Recompute the reach kept on every activity and demand (organizations.reach), e.g. after loading data in bulk or
to repair it; prints how many rows changed. Safe to run at any time (one transaction per model)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from organizations.reach import REBUILDERS


class Command(BaseCommand):
    help = "Recompute the reach (who sees each activity and demand) from the relations."

    def handle(self, *args: Any, **options: Any) -> None:
        for label, rebuild in sorted(REBUILDERS.items()):
            with transaction.atomic():
                changed = rebuild()
            self.stdout.write(f"{label}: {changed} rows changed")
