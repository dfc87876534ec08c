"""A user's notifications, how each went out on the channels beyond the platform, and what the user asked for.

These rows are personal, not scoped: only their recipient reads them (``owned_by``), platform administrators
included; anyone else gets a 404."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OwnedQuerySet(models.QuerySet[Any]):
    def owned_by(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class Notification(models.Model):
    """One message to one user in the platform (the bell); mailed or sent on other channels by ``Delivery``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    # What happened, once: a second notify() for the same event and recipient is dropped (a user holding several
    # roles, a task run twice). Blank for messages that may repeat.
    event = models.CharField(_("event"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [models.UniqueConstraint(fields=["user", "event"], condition=~Q(event=""),
                                               name="notification_once_per_event")]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DIGEST = "digest", _("Waiting for the daily digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """A notification on one channel beyond the platform (mail, SMS gateway…), sent by the task backend after the
    transaction that raised it commits; retried a few times, then marked failed."""

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=32)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "channel"], name="delivery_status_idx")]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}"


class Preference(models.Model):
    """A kind of notification the user does not want on a channel beyond the platform (rows exist only for what is
    switched off: everything is on by default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=32)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.channel}"


class MailMode(models.TextChoices):
    EACH = "each", _("One message per notification")
    DAILY = "daily", _("One digest a day")


class Subscriber(models.Model):
    """How a user takes their notifications beyond the platform: each at once, or a daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="notification_settings")
    mode = models.CharField(_("sending"), max_length=10, choices=MailMode.choices, default=MailMode.EACH)
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)
