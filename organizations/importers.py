"""Excel imports of units, organizations and party members (see core.importing for the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Column, Importer, LabelChoiceField
from core.permissions import Action, can
from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone

from . import services
from .choices import Gender, MemberStatus, OrganizationType, PersonKind, Sector, UnitKind
from .models import Organization, Person, Region, Unit


def _region_by_code(actor: Any, code: str) -> Region | None:
    return Region.objects.restrict(actor).filter(code=code).first()


def _changed(instance: Any, data: dict[str, Any]) -> bool:
    return any(getattr(instance, k) != v for k, v in data.items())


# Units -----------------------------------------------------------------------------------------------------


class UnitRowForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = LabelChoiceField(choices=UnitKind.choices)
    credit_code = forms.CharField(max_length=18, min_length=18, required=False)
    industry = forms.CharField(max_length=100, required=False)
    employee_count = forms.IntegerField(min_value=0, required=False)
    region_code = forms.CharField(max_length=12)
    address = forms.CharField(max_length=255, required=False)


class UnitImporter(Importer):
    title = gettext_lazy("Units")
    model = Unit
    row_form = UnitRowForm
    columns = (
        Column("name", gettext_lazy("Unit name"), True, gettext_lazy("Full registered name."), "泉州某科技有限公司"),
        Column(
            "kind",
            gettext_lazy("Unit kind"),
            True,
            gettext_lazy("Government organ, private enterprise, social organization …"),
            gettext_lazy("Private enterprise"),
        ),
        Column(
            "credit_code",
            gettext_lazy("Credit code"),
            False,
            gettext_lazy("Unified social credit code, 18 characters."),
            "91350503MA00000000",
        ),
        Column("industry", gettext_lazy("Industry"), False, "", gettext_lazy("Software")),
        Column("employee_count", gettext_lazy("Employees"), False, "", "120"),
        Column(
            "region_code",
            gettext_lazy("Region code"),
            True,
            gettext_lazy("Administrative division code, e.g. 350503."),
            "350503",
        ),
        Column("address", gettext_lazy("Address"), False, "", "丰泽区东海街道"),
    )

    def natural_key(self, data: dict[str, Any]) -> Any:
        return (
            ("code", data["credit_code"].upper())
            if data["credit_code"]
            else ("name", data["region_code"], data["name"])
        )

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        region = _region_by_code(self.actor, str(data["region_code"]).strip())
        if region is None:
            return {"region_code": _("No region has this code.")}
        data["region"] = region
        existing = self._existing(data)
        if existing is not None and not can(self.actor, Action.CHANGE, existing):
            return {"name": _("This unit exists but is outside your scope; ask its administrator.")}
        return {}

    def _existing(self, data: dict[str, Any]) -> Unit | None:
        if data["credit_code"]:
            return Unit.objects.filter(credit_code=data["credit_code"].upper()).first()
        return Unit.objects.filter(region=data["region"], name=data["name"]).first()

    def save(self, data: dict[str, Any]) -> str:
        values = {
            "name": data["name"],
            "kind": data["kind"],
            "credit_code": data["credit_code"].upper() or None,
            "industry": data["industry"],
            "employee_count": data["employee_count"],
            "region": data["region"],
            "address": data["address"],
        }
        unit = self._existing(data)
        if unit is None:
            services.unit_create(actor=self.actor, data=values)
            return "created"
        if not _changed(unit, values):
            return "unchanged"
        services.unit_update(actor=self.actor, unit=unit, data=values)
        return "updated"


# Organizations -------------------------------------------------------------------------------------------------


class OrganizationRowForm(forms.Form):
    name = forms.CharField(max_length=200)
    code = forms.CharField(max_length=32, required=False)
    type = LabelChoiceField(choices=OrganizationType.choices)
    parent = forms.CharField(max_length=200, required=False)
    region_code = forms.CharField(max_length=12)
    unit = forms.CharField(max_length=200, required=False)
    sector = LabelChoiceField(choices=Sector.choices, required=False)
    contact_name = forms.CharField(max_length=50, required=False)
    contact_phone = forms.CharField(required=False, validators=[validate_phone])

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"])


class OrganizationImporter(Importer):
    title = gettext_lazy("Organizations")
    model = Organization
    row_form = OrganizationRowForm
    columns = (
        Column(
            "name",
            gettext_lazy("Organization name"),
            True,
            gettext_lazy("Unique under its parent."),
            "中共某科技有限公司支部委员会",
        ),
        Column(
            "code",
            gettext_lazy("Organization code"),
            False,
            gettext_lazy("Code from the party-member information system."),
            "FZ-CBD-0101",
        ),
        Column(
            "type",
            gettext_lazy("Organization type"),
            True,
            gettext_lazy("Party committee, general branch, branch or joint branch."),
            gettext_lazy("Branch"),
        ),
        Column(
            "parent",
            gettext_lazy("Parent organization"),
            False,
            gettext_lazy("Code or exact name of the parent; it may be a row above in this file. Empty: top level."),
            "FZ-CBD",
        ),
        Column(
            "region_code",
            gettext_lazy("Region code"),
            True,
            gettext_lazy("Administrative division code, e.g. 350503."),
            "350503",
        ),
        Column(
            "unit",
            gettext_lazy("Unit"),
            False,
            gettext_lazy("Credit code or exact name of the host unit."),
            "91350503MA00000000",
        ),
        Column(
            "sector",
            gettext_lazy("Sector"),
            False,
            gettext_lazy("Empty: taken from the unit's kind."),
            gettext_lazy("Non-public enterprise"),
        ),
        Column("contact_name", gettext_lazy("Contact person"), False, "", "林晓"),
        Column("contact_phone", gettext_lazy("Contact phone"), False, "", "13800000000"),
    )

    def natural_key(self, data: dict[str, Any]) -> Any:
        return ("code", data["code"]) if data["code"] else ("name", data["parent"], data["name"])

    def _find(self, ref: str, queryset: Any) -> Any:
        found = list(queryset.filter(code=ref)[:1]) or list(queryset.filter(name=ref)[:2])
        return found[0] if len(found) == 1 else None

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        problems: dict[str, str] = {}
        region = _region_by_code(self.actor, data["region_code"].strip())
        if region is None:
            problems["region_code"] = _("No region has this code.")
        data["region"] = region
        data["parent_obj"] = None
        parent_ref = data["parent"].strip()
        if data["code"]:
            existing = Organization.objects.filter(code=data["code"]).first()
            if existing is not None and not can(self.actor, Action.CHANGE, existing):
                problems["code"] = _("An organization with this code exists outside your scope; it cannot be changed "
                                     "from here.")
        if parent_ref:
            in_file = any(row["code"] == parent_ref or row["name"] == parent_ref for row in earlier.values())
            if not in_file:
                parent = self._find(parent_ref, Organization.objects.restrict(self.actor, Action.CHANGE))
                if parent is None:
                    problems["parent"] = _(
                        "No organization in your scope has this code or name (or the name is ambiguous)."
                    )
                data["parent_obj"] = parent
        elif region is not None and not can(self.actor, Action.CHANGE, region):
            problems["parent"] = _("Only staff responsible for the region may create top-level organizations.")
        data["unit_obj"] = None
        if data["unit"].strip():
            ref = data["unit"].strip()
            units = Unit.objects.restrict(self.actor)
            unit = units.filter(credit_code=ref.upper()).first() or units.filter(name=ref).first()
            if unit is None:
                problems["unit"] = _("No unit in your scope has this credit code or name; import the unit first.")
            data["unit_obj"] = unit
        if not data["sector"] and data["unit_obj"] is None and "unit" not in problems:
            problems["sector"] = _("Give a sector, or a unit to take it from.")
        return problems

    def _existing(self, data: dict[str, Any], parent: Organization | None) -> Organization | None:
        if data["code"]:
            return Organization.objects.filter(code=data["code"]).first()
        return Organization.objects.filter(parent=parent, name=data["name"]).first()

    def __init__(self, actor: Any) -> None:
        super().__init__(actor)
        self._saved: dict[str, Organization] = {}  # rows of this file, by code and by name, for parents in the file

    def save(self, data: dict[str, Any]) -> str:
        parent = data["parent_obj"]
        parent_ref = data["parent"].strip()
        if parent is None and parent_ref:
            parent = self._saved[parent_ref]  # resolve() made sure it is a row above this one
        values: dict[str, Any] = {
            "name": data["name"],
            "code": data["code"] or None,
            "type": data["type"],
            "parent": parent,
            "region": data["region"],
            "unit": data["unit_obj"],
            "sector": data["sector"],
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
        }
        org = self._existing(data, parent)
        if org is None:
            org = services.organization_create(actor=self.actor, data=values)
            outcome = "created"
        else:
            if not values["sector"]:
                values.pop("sector")
            if _changed(org, values):
                org = services.organization_update(actor=self.actor, organization=org, data=values)
                outcome = "updated"
            else:
                outcome = "unchanged"
        if org.code:
            self._saved[org.code] = org
        self._saved[org.name] = org
        return outcome


# Party members ---------------------------------------------------------------------------------------------------


class MemberRowForm(forms.Form):
    name = forms.CharField(max_length=50)
    gender = LabelChoiceField(choices=Gender.choices, required=False)
    id_number = forms.CharField(max_length=18)
    phone = forms.CharField(required=False, validators=[validate_phone])
    organization = forms.CharField(max_length=200)
    member_status = LabelChoiceField(choices=MemberStatus.choices)
    joined_party_on = forms.DateField(required=False)
    title = forms.CharField(max_length=100, required=False)

    def clean_id_number(self) -> str:
        value = normalize_id_number(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class MemberImporter(Importer):
    title = gettext_lazy("Party members")
    model = Person
    row_form = MemberRowForm
    columns = (
        Column("name", gettext_lazy("Name"), True, "", "林晓"),
        Column("gender", gettext_lazy("Gender"), False, gettext_lazy("Male or female."), gettext_lazy("Female")),
        Column(
            "id_number",
            gettext_lazy("ID number"),
            True,
            gettext_lazy("18 characters; the check digit is verified."),
            "350503199001011233",
        ),
        Column("phone", gettext_lazy("Phone"), False, "", "13800000000"),
        Column(
            "organization",
            gettext_lazy("Organization"),
            True,
            gettext_lazy("Code or exact name of the member's organization."),
            "FZ-CBD-0101",
        ),
        Column(
            "member_status",
            gettext_lazy("Membership"),
            True,
            gettext_lazy("Full member or probationary member."),
            gettext_lazy("Full member"),
        ),
        Column(
            "joined_party_on",
            gettext_lazy("Joined the party on"),
            False,
            gettext_lazy("Date, e.g. 2015-07-01."),
            "2015-07-01",
        ),
        Column("title", gettext_lazy("Job title"), False, "", gettext_lazy("Engineer")),
    )

    def natural_key(self, data: dict[str, Any]) -> Any:
        return ("id", data["id_number"])

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        ref = data["organization"].strip()
        orgs = Organization.objects.restrict(self.actor, Action.CHANGE)
        found = list(orgs.filter(code=ref)[:1]) or list(orgs.filter(name=ref)[:2])
        if len(found) != 1:
            return {
                "organization": _("No organization in your scope has this code or name (or the name is ambiguous).")
            }
        data["organization_obj"] = found[0]
        existing = Person.objects.with_id_number(data["id_number"]).first()
        if existing is not None and not can(self.actor, Action.CHANGE, existing):
            return {
                "id_number": _("This person is registered with an organization outside your scope; ask for a transfer.")
            }
        return {}

    def after_commit(self) -> None:
        _enqueue_recount()

    def save(self, data: dict[str, Any]) -> str:
        values = {
            "kind": PersonKind.MEMBER,
            "name": data["name"],
            "gender": data["gender"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "organization": data["organization_obj"],
            "member_status": data["member_status"],
            "joined_party_on": data["joined_party_on"],
            "title": data["title"],
        }
        person = Person.objects.with_id_number(data["id_number"]).first()
        if person is None:
            services.person_create(actor=self.actor, data=values)
            return "created"
        if not _changed(person, values):
            return "unchanged"
        services.person_update(actor=self.actor, person=person, data=values)
        return "updated"


def _enqueue_recount() -> None:
    from .tasks import recount_members_task

    recount_members_task.enqueue(None)


IMPORTERS: dict[str, type[Importer]] = {
    "units": UnitImporter,
    "organizations": OrganizationImporter,
    "members": MemberImporter,
}
