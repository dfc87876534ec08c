"""Private storage: uploaded photos and attachments live outside the public media URL space and are served only
by views that check the scope of the object they belong to."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT's public URL space, served only by permission-checked views. The location is read
    from ``settings.PRIVATE_MEDIA_ROOT`` on every use, so it follows the settings (also when tests change them)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    """The private storage (a callable, so migrations do not record a path)."""
    return PrivateStorage()
