"""Channels beyond the platform's own bell: mail now; SMS, enterprise WeChat or DingTalk gateways by configuration.

``settings.NOTIFICATION_CHANNELS`` names them (``{"email": {"BACKEND": "notifications.channels.EmailChannel"}}``);
a channel not configured sends nothing, anywhere. A gateway is a ``WebhookChannel`` (a JSON POST to the
gateway's URL, signed when a secret is set); ``FileChannel`` and ``ConsoleChannel`` stand in for one during
development. Each channel says where a user is reached (``address``) and sends one message (``send``), raising on
failure so that the delivery is retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


class Channel:
    label: StrOrPromise = ""

    def __init__(self, key: str, label: StrOrPromise = "", **options: Any) -> None:
        self.key = key
        self.label = label or self.label or key
        self.options = options

    def address(self, user: Any) -> str:
        """Where the user is reached on this channel; blank when they cannot be."""
        raise NotImplementedError

    def send(self, address: str, subject: str, text: str) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's mail: ``EMAIL_BACKEND`` decides where it goes (the console in development, SMTP in production)."""

    label = _("Email")

    def address(self, user: Any) -> str:
        return str(user.email or "")

    def send(self, address: str, subject: str, text: str) -> None:
        send_mail(subject, text, None, [address], fail_silently=False)


class PhoneChannel(Channel):
    """A channel that reaches people by their mobile number: the phone of the member record linked to the
    account (decrypted only here, to hand it to the gateway)."""

    label = _("Text message")

    def address(self, user: Any) -> str:
        person = getattr(user, "person", None)
        return str(person.phone or "") if person is not None else ""


class WebhookChannel(PhoneChannel):
    """A gateway reached over HTTP: ``OPTIONS = {"url": …, "secret": …, "timeout": 5}``; the body is
    ``{"to", "subject", "text"}``, signed with HMAC-SHA256 in ``X-Lianmeng-Signature`` when a secret is set."""

    def __init__(self, key: str, label: StrOrPromise = "", **options: Any) -> None:
        super().__init__(key, label, **options)
        if not str(options.get("url", "")).startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"notification channel {key!r} needs an http(s) url")

    def send(self, address: str, subject: str, text: str) -> None:
        body = json.dumps({"to": address, "subject": subject, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.options["url"], data=body, method="POST",  # noqa: S310 (checked)
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        if self.options.get("secret"):
            signature = hmac.new(str(self.options["secret"]).encode(), body, hashlib.sha256).hexdigest()
            request.add_header("X-Lianmeng-Signature", signature)
        with urllib.request.urlopen(request, timeout=self.options.get("timeout", 5)) as response:  # noqa: S310
            if response.status >= 300:
                raise OSError(f"gateway answered {response.status}")


class FileChannel(PhoneChannel):
    """Development stand-in for a gateway: one JSON line per message in ``OPTIONS["path"]``."""

    def send(self, address: str, subject: str, text: str) -> None:
        path = Path(self.options["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"channel": self.key, "to": address, "subject": subject, "text": text},
                                 ensure_ascii=False) + "\n")


class ConsoleChannel(PhoneChannel):
    """Development stand-in for a gateway: the message goes to the log."""

    def send(self, address: str, subject: str, text: str) -> None:
        logger.info("[%s] to %s: %s\n%s", self.key, address, subject, text)


@cache
def channels() -> dict[str, Channel]:
    """The configured channels beyond the platform, by key."""
    found: dict[str, Channel] = {}
    for key, config in getattr(settings, "NOTIFICATION_CHANNELS", {}).items():
        backend = import_string(config["BACKEND"])
        found[key] = backend(key, config.get("LABEL", ""), **config.get("OPTIONS", {}))
    return found


@receiver(setting_changed)
def _reconfigure(*, setting: str, **kwargs: Any) -> None:
    if setting == "NOTIFICATION_CHANNELS":
        channels.cache_clear()
