"""Recompute the reach kept on every row of every model that keeps one (``organizations.visibility``), e.g. after
loading data in bulk or to repair it; prints how many rows changed. Safe to run at any time (one transaction per
model)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from organizations.visibility import kept_models, rebuild_reach


class Command(BaseCommand):
    help = "Recompute the reach (who sees each activity and demand) from the relations."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in sorted(kept_models(), key=lambda m: m._meta.label):
            with transaction.atomic():
                changed = rebuild_reach(model)
            self.stdout.write(f"{model._meta.label}: {changed} rows changed")
