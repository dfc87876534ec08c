"""Middleware of our own."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse


def keep_session_unsaved(request: HttpRequest) -> None:
    """This request does not save the session (unless it changed it): for automatic polls, such as a job's
    progress bar every two seconds. With ``SESSION_SAVE_EVERY_REQUEST`` each poll would otherwise write the
    session row, and on SQLite, while a long import holds the only write lock, that write waits and the progress
    bar stalls, then fails with "database is locked". A poll is not the user's activity: it does not extend
    the idle timeout either."""
    request._keep_session_unsaved = True  # type: ignore[attr-defined]


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with a sliding idle timeout that writes the session at most once every
    ``SESSION_REFRESH_SECONDS`` (saving it on every request cost three queries on each one), and never for
    requests marked with ``keep_session_unsaved``."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> Any:
        session = getattr(request, "session", None)
        if getattr(request, "_keep_session_unsaved", False):
            if session is not None and not session.modified:
                return response
        elif session is not None and session.session_key and not session.modified and getattr(
                getattr(request, "user", None), "is_authenticated", False):  # a signed-in browser, not a token
            now = int(time.time())
            if now - int(session.get("_seen", 0)) >= settings.SESSION_REFRESH_SECONDS:
                session["_seen"] = now  # saved below: the expiry slides to SESSION_COOKIE_AGE from now
        return super().process_response(request, response)
