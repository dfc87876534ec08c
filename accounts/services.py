"""Account writes: accounts, role assignments, passwords and API tokens, audited.

Who manages which account, and which roles they may give, is ``accounts.selectors``' rule; these services
enforce it for every path (HTML, API, bulk creation). ``actor=None`` is the system and skips the checks.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core import audit
from core.models import AuditAction
from core.permissions import Action, Actor, clear_scope_cache, signed_in
from core.services import model_create, model_delete, model_update
from organizations.models import Unit

from . import selectors
from .error_codes import AccountErrorCode
from .models import Role, RoleAssignment, User

# Usernames of accounts made in bulk from the member list: this prefix and the person's id (stable, unique, and
# free of personal data: never the ID or phone number).
MEMBER_USERNAME_PREFIX = "m"
# Generated passwords: no look-alike characters (0/O, 1/l/I), as they are read off paper or a screen.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet)
PASSWORD_LENGTH = 12
# Shown in the audit trail instead of a password or its hash.
HIDDEN = "***"


def generate_password() -> str:
    """A one-time password with letters and digits (so that the validators accept it)."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def member_username(person: Any) -> str:
    return f"{MEMBER_USERNAME_PREFIX}{person.pk:06d}"


def _authority_or_refuse(actor: Actor) -> selectors.Authority:
    auth = selectors.authority(actor)
    if not auth.manages_accounts:
        raise ValidationError(_("You do not manage accounts."), code=AccountErrorCode.NO_AUTHORITY)
    return auth


def _require_manageable(actor: Actor, user: User) -> None:
    if not selectors.manageable_users(actor).filter(pk=user.pk).exists():
        raise ValidationError(_("This account is not one you manage."), code=AccountErrorCode.USER_OUT_OF_SCOPE)


def _inside(path: str, paths: tuple[str, ...]) -> bool:
    return any(path.startswith(p) for p in paths)


def check_grant(auth: selectors.Authority, *, role: str, region: Any = None, organization: Any = None,
                alliance: Any = None) -> None:
    """Refuse a role the holder of ``auth`` may not give (``selectors.grantable_assignments_q`` in Python)."""
    if auth.everything:
        return
    if role in (Role.PLATFORM_ADMIN, Role.AUDITOR):
        raise ValidationError(_("Only platform administrators give the platform administrator and auditor roles."),
                              code=AccountErrorCode.ROLE_RESERVED)
    if role != Role.MEMBER and not auth.is_staff:
        raise ValidationError(_("You may give the member role only."), code=AccountErrorCode.ROLE_NOT_GRANTABLE)
    if not auth.holds(role):
        raise ValidationError(_("You may not give a role that allows more than your own roles do."),
                              code=AccountErrorCode.ACTIONS_NOT_HELD)
    if role == Role.ALLIANCE_ADMIN:
        inside = alliance is not None and selectors.grantable_alliances(auth).filter(pk=alliance.pk).exists()
    elif region is not None:
        inside = _inside(region.path, auth.staff_region_paths)
    elif organization is not None:
        inside = (_inside(organization.path, auth.staff_org_paths)
                  or _inside(organization.region.path, auth.staff_region_paths))
    else:
        inside = True  # the member role: the account's own record (the account must be one the actor manages)
    if not inside:
        raise ValidationError(_("This role's scope lies outside your own; choose a region, organization or "
                                "alliance inside it."), code=AccountErrorCode.SCOPE_OUT_OF_REACH)


def role_assign(
    *, actor: Actor, user: User, role: str, region: Any = None, organization: Any = None, alliance: Any = None
) -> RoleAssignment:
    """Give a role with its scope. A manager gives only roles inside their own reach, to accounts they manage,
    and never to themselves (someone else changes a manager's reach, so that nobody removes the last platform
    administrator by mistake)."""
    scope = {"region": region, "organization": organization, "alliance": alliance}
    if actor is not None:
        auth = _authority_or_refuse(actor)
        if signed_in(actor) == user:
            raise ValidationError(_("Someone else must change your own roles."), code=AccountErrorCode.SELF_ROLES)
        _require_manageable(actor, user)
        check_grant(auth, role=role, **scope)
    if RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
        raise ValidationError(_("This user already holds this role with this scope."),
                              code=AccountErrorCode.ROLE_ALREADY_HELD)
    assignment = model_create(RoleAssignment, actor=actor, data={"user": user, "role": role, **scope})
    clear_scope_cache(user)
    selectors.forget_authority(user)
    return assignment


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role back. A manager may revoke any role of an account they manage: an account is managed only
    while every role it holds is one the manager could give."""
    user = assignment.user
    if actor is not None:
        _authority_or_refuse(actor)
        if signed_in(actor) == user:
            raise ValidationError(_("Someone else must change your own roles."), code=AccountErrorCode.SELF_ROLES)
        _require_manageable(actor, user)
    model_delete(assignment, actor=actor)
    clear_scope_cache(user)
    selectors.forget_authority(user)


def user_create(*, actor: Actor, data: Mapping[str, Any], password: str | None = None,
                person: Any = None) -> tuple[User, str | None]:
    """Create an account (username, display name, email, language), optionally linked to a person in the actor's
    scope; a member's account gets the member role. ``password`` None: one is generated and returned, to be
    shown once. An account made by a manager must change its password at first login."""
    if actor is not None:
        auth = _authority_or_refuse(actor)
        if person is None and not (auth.everything or auth.is_staff):
            raise ValidationError(_("Choose the member the account is for."), code=AccountErrorCode.PERSON_REQUIRED)
    if person is not None:
        from organizations.models import Person

        if actor is not None and not Person.objects.restrict(actor, Action.CHANGE).filter(pk=person.pk).exists():
            raise ValidationError({"person": ValidationError(_("This person is outside your scope."),
                                                             code=AccountErrorCode.PERSON_OUT_OF_SCOPE)})
        if person.user_id is not None:
            raise ValidationError({"person": ValidationError(_("This person already has an account."),
                                                             code=AccountErrorCode.PERSON_HAS_ACCOUNT)})
    generated = password is None
    chosen = generate_password() if password is None else password

    def prepare(user: User) -> None:
        if not generated:
            try:
                validate_password(chosen, user=user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.error_list}) from exc
        user.set_password(chosen)

    with transaction.atomic():
        user = model_create(User, actor=actor, prepare=prepare, data={
            **{k: data[k] for k in ("username", "display_name", "email", "language") if k in data},
            "created_by": signed_in(actor), "must_change_password": actor is not None})
        if person is not None:
            from organizations.services import person_update

            person_update(actor=actor, person=person, data={"user": user})
            if person.is_member:
                role_assign(actor=actor, user=user, role=Role.MEMBER)
    return user, chosen if generated else None


def user_update(*, actor: Actor, user: User, data: Mapping[str, Any]) -> User:
    """Change an account's display name, email, language or unit (an enterprise contact's)."""
    if actor is not None:
        _authority_or_refuse(actor)
        _require_manageable(actor, user)
    allowed = {k: v for k, v in data.items() if k in ("display_name", "email", "language", "unit")}
    unit = allowed.get("unit")
    # A manager links an account only to a unit they see (keeping a unit already linked is no new link).
    if (actor is not None and unit is not None and unit.pk != user.unit_id
            and not Unit.objects.restrict(actor).filter(pk=unit.pk).exists()):
        raise ValidationError({"unit": ValidationError(_("Choose a unit you look after."),
                                                       code=AccountErrorCode.UNIT_OUT_OF_SCOPE)})
    user, _changed = model_update(user, actor=actor, data=allowed)
    return user


def _set_active(*, actor: Actor, user: User, active: bool) -> User:
    if actor is not None:
        _authority_or_refuse(actor)
        if signed_in(actor) == user:
            raise ValidationError(_("You cannot deactivate your own account."),
                                  code=AccountErrorCode.SELF_DEACTIVATION)
        _require_manageable(actor, user)
    user, _changed = model_update(user, actor=actor, data={"is_active": active})
    return user


def user_deactivate(*, actor: Actor, user: User) -> User:
    """The account can no longer sign in or use its API token (its data and history stay)."""
    return _set_active(actor=actor, user=user, active=False)


def user_reactivate(*, actor: Actor, user: User) -> User:
    return _set_active(actor=actor, user=user, active=True)


def _record_password(actor: Actor, user: User, must_before: bool) -> None:
    """The password change as its own audit event: never the password or its hash."""
    changes: dict[str, Any] = {"password": [HIDDEN, HIDDEN]}
    if must_before != user.must_change_password:
        changes["must_change_password"] = [must_before, user.must_change_password]
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=user, changes=changes)


@transaction.atomic
def user_password_set(*, actor: Actor, user: User, password: str) -> None:
    """The user's own new password (the change page, or a reset link from their mail): checked by the form,
    and the "must change password" mark is cleared."""
    must_before = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _record_password(actor, user, must_before)


@transaction.atomic
def user_password_reset(*, actor: Actor, user: User) -> str:
    """A manager resets an account's password: a one-time password, returned to be shown once, which the user
    must change at the next login. The account's API token is revoked and its sessions end (Django checks the
    password's hash on each request), and a lockout after failed logins is lifted."""
    if actor is not None:
        _authority_or_refuse(actor)
        if signed_in(actor) == user:
            raise ValidationError(_("Change your own password on the password change page."),
                                  code=AccountErrorCode.SELF_RESET)
        _require_manageable(actor, user)
    password = generate_password()
    must_before = user.must_change_password
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _record_password(actor, user, must_before)
    Token.objects.filter(user=user).delete()
    from axes.utils import reset as axes_reset

    axes_reset(username=user.get_username())
    return password


@dataclass
class MemberAccounts:
    """What a bulk creation did: accounts created (with their one-time passwords) and people skipped, why."""

    organization: Any
    created: list[tuple[Any, User, str]] = field(default_factory=list)  # (person, account, password)
    skipped: list[tuple[Any, str]] = field(default_factory=list)  # (person, reason)


def member_accounts_create(*, actor: Actor, organization: Any) -> MemberAccounts:
    """Accounts for the members of one organization who have none: username from ``member_username``, a
    generated one-time password each, the member role, "must change password" set. All or nothing: one
    transaction; a problem with any member writes no account and names every problem."""
    from organizations.models import Organization, Person

    if actor is not None:
        _authority_or_refuse(actor)
        if not Organization.objects.restrict(actor, Action.CHANGE).filter(pk=organization.pk).exists():
            raise ValidationError(_("This organization is outside your scope."),
                                  code=AccountErrorCode.ORGANIZATION_OUT_OF_SCOPE)
    people = list(Person.objects.members().filter(organization=organization).select_related("user")
                  .order_by("name", "pk"))
    wanted = {member_username(p) for p in people if p.user_id is None}
    taken = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    result = MemberAccounts(organization=organization)
    problems: list[str] = []
    with transaction.atomic():
        for person in people:
            if person.user_id is not None:
                result.skipped.append((person, _("already has the account “%(username)s”")
                                       % {"username": cast(User, person.user).get_username()}))
                continue
            username = member_username(person)
            if username in taken:
                result.skipped.append((person, _("the username “%(username)s” is taken by another account")
                                       % {"username": username}))
                continue
            try:
                user, password = user_create(actor=actor, data={"username": username, "display_name": person.name},
                                             person=person)
            except ValidationError as exc:
                problems.extend(f"{person.name}: {message}" for message in exc.messages)
                continue
            assert password is not None  # generated
            result.created.append((person, user, password))
        if problems:
            raise ValidationError([ValidationError(p, code=AccountErrorCode.BULK_FAILED) for p in problems])
    return result


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
