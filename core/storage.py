"""Private storage: uploaded photos and attachments live outside the public media URL space and are served only
by views that check the scope of the object they belong to."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT's public URL space, served only by permission-checked views. The location is read
    from ``settings.PRIVATE_MEDIA_ROOT`` on every use, so it follows the settings (also when tests change them)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    """The private storage (a callable, so migrations do not record a path)."""
    return PrivateStorage()


def sweep_orphans(folder: str, model: Any, field: str, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete the files under ``folder`` that no ``model`` row refers to through ``field``. A file is written
    before its row commits, so a transaction that rolls back leaves its file behind; a daily sweep removes it.
    Files younger than ``older_than`` are left alone: their transaction may still be running."""
    storage = private_storage()
    root = Path(storage.location) / folder
    if not root.exists():
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    candidates = {path.relative_to(storage.location).as_posix(): path for path in root.rglob("*")
                  if path.is_file() and path.stat().st_mtime < cutoff}
    known = set(model.objects.filter(**{f"{field}__in": list(candidates)}).values_list(field, flat=True))
    removed = 0
    for name, path in candidates.items():
        if name not in known:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
