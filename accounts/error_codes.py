"""Stable codes of the errors the account services raise (the API sends them beside the message)."""

from enum import StrEnum


class AccountErrorCode(StrEnum):
    USER_OUT_OF_SCOPE = "account_user_out_of_scope"  # the account is not one the actor manages
    ROLE_RESERVED = "account_role_reserved"  # platform administrator and auditor: platform administrators only
    ROLE_NOT_GRANTABLE = "account_role_not_grantable"  # a secretary gives the member role only
    ACTIONS_NOT_HELD = "account_actions_not_held"  # the role grants actions the actor does not hold
    SCOPE_OUT_OF_REACH = "account_scope_out_of_reach"  # the role's region, organization or alliance is outside
    ROLE_ALREADY_HELD = "account_role_already_held"
    SELF_ROLES = "account_self_roles"  # someone else changes a manager's own roles
    SELF_DEACTIVATION = "account_self_deactivation"
    SELF_RESET = "account_self_reset"  # one's own password is changed on the password change page
    PERSON_OUT_OF_SCOPE = "account_person_out_of_scope"
    PERSON_HAS_ACCOUNT = "account_person_has_account"
    PERSON_REQUIRED = "account_person_required"  # secretaries create accounts for their members only
    ORGANIZATION_OUT_OF_SCOPE = "account_organization_out_of_scope"
    BULK_FAILED = "account_bulk_failed"  # a bulk creation wrote nothing: the problems are listed
    NO_AUTHORITY = "account_no_authority"  # the actor manages no accounts at all
    UNIT_OUT_OF_SCOPE = "account_unit_out_of_scope"  # an enterprise contact's unit the manager does not see
