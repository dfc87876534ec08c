from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.permissions import Action, Scope
from core.tree import collapse_paths


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # The language the user last chose in the interface: what notifications and mails to them are written in
    # (blank: the platform's language, settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Set when someone else chose the password (an account created or reset by a manager): until the user picks
    # their own, every page leads to the password change (accounts.middleware).
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    # Who created the account in the platform: department staff keep managing accounts they created that hold
    # no role yet (accounts.selectors.manageable_users).
    created_by = models.ForeignKey("self", verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # An enterprise contact's unit (set by a manager): the demand form is pre-filled from it, and the contact
    # browses the resources its alliances share (demands.models.Resource's visibility).
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="contacts",
                             help_text=_("The enterprise or social organization this account speaks for."))

    # Never copy password hashes into the audit trail; a password change is recorded as its own event.
    audit_excluded_fields = {"password", "last_login"}

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    DEPARTMENT_STAFF = "department_staff", _("Organization-department staff")
    SECRETARY = "secretary", _("Organization secretary / liaison")
    MEMBER = "member", _("Member")
    AUDITOR = "auditor", _("Auditor")
    ALLIANCE_ADMIN = "alliance_admin", _("Alliance administrator")


# Which roles grant which actions. Scope (region / organization subtree / self) limits every one of them.
ROLE_ACTIONS: dict[str, set[Action]] = {
    Role.PLATFORM_ADMIN: {Action.VIEW, Action.CHANGE, Action.REVEAL, Action.AUDIT},
    Role.DEPARTMENT_STAFF: {Action.VIEW, Action.CHANGE, Action.REVEAL},
    Role.SECRETARY: {Action.VIEW, Action.CHANGE},
    Role.MEMBER: {Action.VIEW},
    Role.AUDITOR: {Action.VIEW, Action.AUDIT},
    Role.ALLIANCE_ADMIN: {Action.VIEW, Action.CHANGE},
}


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def scopes_for(self, user: Any) -> dict[str, Scope]:
        """The user's scope for every action, from one query (a request that reads and then writes needs two)."""
        # Plain values, not objects: this runs on every request, and building the assignment, region,
        # organization, user and person objects was 2.7 of its 4.4 ms (measured at 100k organizations).
        assignments = list(self.filter(user=user).values_list(
            "role", "alliance_id", "organization__path", "region__path", "user__person__id",
            "user__person__organization_id"))
        return {str(action): _fold(assignments, action) for action in Action}


def _fold(assignments: list[tuple[Any, ...]], action: Action) -> Scope:
    alliance_ids: list[int] = []
    everything = False
    org_paths: list[str] = []
    region_paths: list[str] = []
    person_ids: list[int] = []
    org_ids: list[int] = []
    for role, alliance_id, organization_path, region_path, person_id, person_organization_id in assignments:
        if action not in ROLE_ACTIONS[role]:
            continue
        if role == Role.MEMBER:
            if person_id is not None:
                person_ids.append(person_id)
                if person_organization_id:
                    org_ids.append(person_organization_id)
        elif alliance_id is not None:
            alliance_ids.append(alliance_id)
        elif organization_path is not None:
            org_paths.append(organization_path)
        elif region_path is not None:
            region_paths.append(region_path)
        elif role in (Role.PLATFORM_ADMIN, Role.AUDITOR):
            everything = True
    if everything:
        return Scope(everything=True)
    return Scope(
        org_paths=tuple(collapse_paths(org_paths)),
        region_paths=tuple(collapse_paths(region_paths)),
        person_ids=tuple(person_ids),
        org_ids=tuple(org_ids),
        alliance_ids=tuple(alliance_ids),
    )


class RoleAssignment(TimeStampedModel):
    """A role held with a scope. A user may hold several; their reach is the union."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "organizations.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("Scope: everything in this region and below."),
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, help_text=_("Scope: this organization and its subtree."),
    )
    alliance = models.ForeignKey(
        "alliances.Alliance", verbose_name=_("alliance"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("Scope: this alliance (and its sub-alliances), for alliance administrators."),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(organization__isnull=True),
                name="role_scope_region_or_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(alliance__isnull=True)
                | models.Q(region__isnull=True, organization__isnull=True, role="alliance_admin"),
                name="role_alliance_scope_only_for_alliance_admins",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organization or self.region or self.alliance
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    def clean(self) -> None:
        if self.region_id and self.organization_id:
            raise ValidationError(_("A role is scoped to a region or to an organization, not both."))
        if self.role == Role.DEPARTMENT_STAFF and not (self.region_id or self.organization_id):
            raise ValidationError(_("Organization-department staff need a region or an organization as scope."))
        if self.role == Role.SECRETARY and not self.organization_id:
            raise ValidationError(_("A secretary role needs the organization it is for."))
        if self.role == Role.MEMBER and (self.region_id or self.organization_id):
            raise ValidationError(_("The member role is scoped to the member's own record; leave the scope empty."))
        if (self.role == Role.ALLIANCE_ADMIN) != bool(self.alliance_id):
            raise ValidationError(_("An alliance administrator role needs exactly its alliance as scope."))
        if self.alliance_id and (self.region_id or self.organization_id):
            raise ValidationError(_("A role is scoped to a region or to an organization, not both."))
        if self.role == Role.PLATFORM_ADMIN and (self.region_id or self.organization_id):
            raise ValidationError(_("Platform administrators are not scoped; leave the scope empty."))
