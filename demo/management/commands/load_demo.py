from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo import data


class Command(BaseCommand):
    help = "Load the demo data (real cases from DOMAIN.md, fictional people) and the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data and demo accounts are only loaded when DEMO_MODE is on.")
        created = data.load()
        self.stdout.write(_("Demo data loaded.") if created else _("Demo data was already loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {data.DEMO_PASSWORD})")
        for username, display, role, scope in data.ACCOUNTS:
            where = ", ".join(f"{k}={v}" for k, v in scope.items()) or "-"
            self.stdout.write(f"  {username:<16} {role:<18} scope: {where:<22} {display}")
