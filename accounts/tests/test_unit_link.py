"""An enterprise contact's account is linked to its unit by a manager who sees the unit, and the link is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.error_codes import AccountErrorCode
from accounts.models import User
from core.models import AuditEvent
from organizations import services as org_services
from organizations.choices import UnitKind
from organizations.models import Unit


def contact(world: Any) -> User:
    """An account department staff of Fengze created for an enterprise's contact (they manage it)."""
    return User.objects.create_user(username="wang", password="Correct-Horse-42", created_by=world.users["staff_fz"])


def jinjiang_unit(world: Any) -> Unit:
    return org_services.unit_create(actor=None, data={"name": "成都某百货有限公司", "kind": UnitKind.PRIVATE,
                                                      "region": world.regions["jj"],
                                                      "credit_code": "91510104MA0000002X"})


def test_staff_link_an_account_to_a_unit_they_see_audited(world: Any, client_for: Any) -> None:
    account, unit = contact(world), Unit.objects.get(name="泉州某科技有限公司")
    jinjiang_unit(world)
    client = client_for("staff_fz")
    form = client.get(f"/accounts/users/{account.pk}/edit/").content.decode()
    assert 'name="unit"' in form and "泉州某科技有限公司" in form
    assert "成都某百货有限公司" not in form  # only the units staff see are offered
    answer = client.post(f"/accounts/users/{account.pk}/edit/", {"display_name": "王经理", "unit": unit.pk})
    assert answer.status_code == 302
    account.refresh_from_db()
    assert account.unit == unit and list(unit.contacts.all()) == [account]
    event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(account.pk), action="update").latest("id")
    assert "unit" in event.changes
    assert "泉州某科技有限公司" in client.get(f"/accounts/users/{account.pk}/").content.decode()


def test_a_unit_out_of_sight_is_refused(world: Any, client_for: Any) -> None:
    account, other = contact(world), jinjiang_unit(world)
    with pytest.raises(ValidationError) as caught:
        services.user_update(actor=world.users["staff_fz"], user=account, data={"unit": other})
    assert caught.value.error_dict["unit"][0].code == AccountErrorCode.UNIT_OUT_OF_SCOPE
    page = client_for("staff_fz").post(f"/accounts/users/{account.pk}/edit/", {"unit": other.pk})
    assert page.status_code == 200 and User.objects.get(pk=account.pk).unit is None  # not among the choices
    # a unit already linked (by someone who sees it) stays when a manager who does not see it saves other changes
    services.user_update(actor=None, user=account, data={"unit": other})
    services.user_update(actor=world.users["staff_fz"], user=account, data={"display_name": "王", "unit": other})
    assert User.objects.get(pk=account.pk).unit == other
