"""Compile the .po catalogs with polib (pure Python), so set-up needs no gettext tools."""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                po_path_mo = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(po_path_mo))
                self.stdout.write(f"compiled {po_path_mo.relative_to(settings.BASE_DIR)}")
