"""QR sign-in tokens.

The QR code of an activity holds a link with a signed token: the activity's id and its current ``signin_key``,
signed with the site's secret and stamped with the moment the sign-in window closes. A forged or altered token
fails the signature; a token past its time fails the stamp; a token from before the key was replaced (revoked)
fails the key.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity

SALT = "lianmeng.activities.signin"


def signin_window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    return (activity.starts_at - dt.timedelta(minutes=settings.SIGNIN_OPENS_BEFORE_MINUTES),
            activity.ends_at + dt.timedelta(minutes=settings.SIGNIN_CLOSES_AFTER_MINUTES))


def make_token(activity: Activity) -> str:
    closes = signin_window(activity)[1]
    return signing.dumps({"a": activity.pk, "k": activity.signin_key, "e": int(closes.timestamp())}, salt=SALT,
                         compress=True)


def read_token(token: str, now: dt.datetime | None = None) -> Activity:
    """The activity a token stands for, or a ValidationError that says what is wrong with it."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=SALT)
        activity_id, key, expires = int(payload["a"]), str(payload["k"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("This sign-in code is not valid. Scan the code shown at the activity again."),
                              code="forged") from exc
    if now.timestamp() > expires:
        raise ValidationError(_("This sign-in code has expired."), code="expired")
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None or activity.signin_key != key:
        raise ValidationError(_("This sign-in code has been replaced by a new one. Scan the code shown at the "
                                "activity again."), code="revoked")
    return activity


def absolute_url(request: HttpRequest, activity: Activity) -> str:
    """The address the QR code holds (``SITE_URL`` when set, so printed codes point at the public address)."""
    path = reverse("activities:signin", args=[make_token(activity)])
    return f"{settings.SITE_URL.rstrip('/')}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
