"""Both languages are complete: every source string is in the zh_Hans catalog and translated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    po = polib.pofile(str(CATALOG))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (scripts/ensure_system_packages.sh)")
def test_every_source_string_is_in_the_catalog(tmp_path: Path) -> None:
    """Re-extract the strings from the code and templates; nothing may be missing from the committed catalog."""
    work = tmp_path / "project"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "static",
                                                               "test-artifacts", "*.mo", "__pycache__"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=work, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOG))}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert missing == [], "run `make messages` and translate these"


def test_switching_language_changes_the_ui(world: object, client: object) -> None:
    from django.test import Client

    c = Client()
    c.force_login(world.users["staff_fz"])  # type: ignore[attr-defined]
    c.cookies["django_language"] = "en"
    assert "Organization tree" in c.get("/").content.decode()
    c.cookies["django_language"] = "zh-hans"
    page = c.get("/").content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("Organization tree") in page
    assert "Organization tree" not in page
