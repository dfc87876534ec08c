"""Account writes: role assignments and API tokens, audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core import audit
from core.models import AuditAction
from core.permissions import Actor, clear_scope_cache
from core.services import model_create, model_delete

from .models import RoleAssignment, User


def role_assign(
    *, actor: Actor, user: User, role: str, region: Any = None, organization: Any = None, alliance: Any = None
) -> RoleAssignment:
    scope = {"region": region, "organization": organization, "alliance": alliance}
    if RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
        raise ValidationError(_("This user already holds this role with this scope."))
    assignment = model_create(RoleAssignment, actor=actor, data={"user": user, "role": role, **scope})
    clear_scope_cache(user)
    return assignment


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    model_delete(assignment, actor=actor)
    clear_scope_cache(assignment.user)


@transaction.atomic
def api_token_create(*, actor: User) -> str:
    """(Re)issue the user's API token; the old one stops working at once. The key is shown once."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    audit.record(actor=actor, action=AuditAction.CREATE, object_type="authtoken.token", object_id=str(actor.pk),
                 object_repr=_("API token of %(user)s") % {"user": actor.get_username()})
    return str(token.key)


@transaction.atomic
def api_token_revoke(*, actor: User) -> None:
    deleted, _rows = Token.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, action=AuditAction.DELETE, object_type="authtoken.token", object_id=str(actor.pk),
                     object_repr=_("API token of %(user)s") % {"user": actor.get_username()})


@transaction.atomic
def user_language_set(*, user: User, language: str) -> bool:
    """Remember the interface language the user chose: notifications and mails to them are written in it, and
    signing in on another device starts in it. Audited; False when nothing changed."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    before = audit.raw_snapshot(user)
    user.language = language
    user.save(update_fields=["language"])
    audit.record_update(user, user, before)
    return True
