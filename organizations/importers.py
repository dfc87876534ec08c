"""Excel imports of units, organizations and party members (see core.importing for the rules)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, derived
from core.bulk import build_instances, bulk_insert
from core.crypto import blind_index, with_masked_copies
from core.importing import Column, Importer, LabelChoiceField, Row, quick_clean
from core.models import AuditAction
from core.permissions import Action, Actor, can, get_scope
from core.services import require_still_in_scope
from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone

from . import services
from .choices import Gender, MemberStatus, OrganizationType, PersonKind, Sector, UnitKind
from .models import Organization, Person, Region, Unit
from .validators import MEMBER_ID_NUMBER_REQUIRED


def _region_by_code(actor: Actor, code: str) -> Region | None:
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
            if parent_ref not in self._in_file:
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

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._in_file: set[str] = set()  # codes and names of the rows above that passed: parents in the file
        self._saved: dict[str, Organization] = {}  # rows of this file, by code and by name, for parents in the file

    def remember(self, row_no: int, data: dict[str, Any]) -> None:
        self._in_file.update(ref for ref in (data["code"], data["name"]) if ref)

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
    # The rule of organizations.validators.validate_member_id_number: the import takes members only.
    id_number = forms.CharField(max_length=18, error_messages={"required": MEMBER_ID_NUMBER_REQUIRED})
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
    """Party members, written a chunk at a time: one query resolves a chunk's organizations (cached across chunks),
    one finds the people it already holds (by the ID number's blind index) and one checks they are in the change
    scope; new people are inserted with ``bulk_insert``, changed ones with ``bulk_update``, each with its own audit
    event (masked as the services mask them), and the member counts move through ``adjust_member_counts`` once,
    before the import commits. Plainly valid rows skip the form (``quick_clean``); the form words every problem.

    What the person services check row by row is checked here per chunk: the organization is in the actor's change
    scope, an existing person is too, the ID number is unique (the blind index; the unique index backs it), and
    the person is still in scope after the write. Field rules are the row form's (same lengths and choices as the
    model), so no ``full_clean`` per row."""

    title = gettext_lazy("Party members")
    model = Person
    row_form = MemberRowForm
    clean_in_reader = True  # the form and the ID checks need no database
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

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._organizations: dict[str, Organization | None] = {}  # cell → the one organization it names, or None
        self._count_deltas: Counter[int] = Counter()  # organization id → members added (−: removed), applied once

    def natural_key(self, data: dict[str, Any]) -> Any:
        return data["id_number_index"]  # the blind index: compact, and what the database is searched by

    def clean_row(self, raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
        data = quick_clean(self.row_form, raw)
        if data is not None:  # what MemberRowForm.clean_id_number / clean_phone do
            data["id_number"] = normalize_id_number(data["id_number"])
            try:
                validate_id_number(data["id_number"])
            except ValidationError:
                data = None  # the form words the message
            else:
                data["phone"] = normalize_phone(data["phone"])
        if data is None:
            data, problems = super().clean_row(raw)
            if data is None:
                return None, problems
        data["id_number_index"] = blind_index(data["id_number"])
        return data, []

    def resolve_batch(self, rows: Sequence[Row]) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        self._load_organizations({data["organization"].strip() for _row, data in rows})
        existing = {p.id_number_index: p for p in
                    Person.objects.filter(id_number_index__in=[data["id_number_index"] for _row, data in rows])}
        outside = self._outside_change_scope(existing.values())
        for row_no, data in rows:
            organization = self._organizations.get(data["organization"].strip())
            if organization is None:
                yield row_no, data, {
                    "organization": _("No organization in your scope has this code or name (or the name is "
                                      "ambiguous).")
                }
                continue
            data["organization_obj"] = organization
            person = existing.get(data["id_number_index"])
            if person is not None and person.pk in outside:
                yield row_no, data, {
                    "id_number": _("This person is registered with an organization outside your scope; ask for a "
                                   "transfer.")
                }
                continue
            data["existing"] = person
            yield row_no, data, {}

    def _load_organizations(self, refs: set[str]) -> None:
        """Resolve the cells not seen before with one query: a code names its organization; a name must name
        exactly one organization in the actor's change scope."""
        missing = refs - self._organizations.keys()
        if not missing:
            return
        found = list(Organization.objects.restrict(self.actor, Action.CHANGE)
                     .filter(Q(code__in=missing) | Q(name__in=missing)))
        by_code = {org.code: org for org in found if org.code in missing}
        by_name: dict[str, list[Organization]] = {}
        for org in found:
            if org.name in missing:
                by_name.setdefault(org.name, []).append(org)
        for ref in missing:
            named = by_name.get(ref, [])
            self._organizations[ref] = by_code.get(ref) or (named[0] if len(named) == 1 else None)

    def _outside_change_scope(self, people: Iterable[Person]) -> set[int]:
        """The ids of these people the actor may not change (one query; none when the actor reaches everything)."""
        ids = {p.pk for p in people}
        if not ids or get_scope(self.actor, Action.CHANGE).everything:
            return set()
        inside = Person.objects.restrict(self.actor, Action.CHANGE).filter(pk__in=ids).values_list("pk", flat=True)
        return ids - set(inside)

    def save_batch(self, rows: Sequence[Row]) -> list[tuple[int, str | Exception]]:
        now = timezone.now()
        outcomes: dict[int, str | Exception] = {}
        new: list[tuple[int, dict[str, Any]]] = []
        updated: list[tuple[int, Person, audit.Snapshot]] = []
        changed_fields: set[str] = set()
        deltas: Counter[int] = Counter()
        for row_no, data in rows:
            values = with_masked_copies(Person, _member_values(data))  # no save(): set the masked copies here
            person: Person | None = data["existing"]
            if person is None:
                new.append((row_no, {**values, "id_number_index": data["id_number_index"]}))
                deltas[data["organization_obj"].pk] += 1
                outcomes[row_no] = "created"
                continue
            changes = [k for k, v in values.items() if getattr(person, k) != v]
            if not changes:
                outcomes[row_no] = "unchanged"
                continue
            before_raw = audit.raw_snapshot(person)
            before = _counted_in(person)
            for key in changes:
                setattr(person, key, values[key])
            person.updated_at = now  # bulk_update does not run auto_now
            after = _counted_in(person)
            if before != after:
                if before is not None:
                    deltas[before] -= 1
                if after is not None:
                    deltas[after] += 1
            changed_fields.update(Person._meta.get_field(attname).name for attname in changes)
            updated.append((row_no, person, before_raw))
            outcomes[row_no] = "updated"
        # Person.save() computes the blind index; a bulk insert skips save(), so the rows carry it (set above).
        # Encrypted fields still encrypt: bulk_insert and bulk_update prepare values with get_db_prep_save.
        created = list(zip([row_no for row_no, _values in new],
                           build_instances(Person, (values for _row, values in new)), strict=True))
        bulk_insert([person for _row, person in created])
        if updated:
            Person.objects.bulk_update([person for _row, person, _before in updated],
                                       [*sorted(changed_fields), "updated_at"], batch_size=500)
            # no save signals: a member moved to another organization changes their scope
            derived.bulk_written(Person, ids=[person.pk for _row, person, _before in updated])
        written = [*created, *((row_no, person) for row_no, person, _before in updated)]
        outside = self._outside_change_scope(person for _row, person in written)
        for row_no, person in written:
            if person.pk in outside:
                try:  # refused as the services refuse it, with their message
                    require_still_in_scope(self.actor, person)
                except ValidationError as exc:
                    outcomes[row_no] = exc
        people = [person for _row, person in created]
        audit.record_many(actor=self.actor, events=[
            *((AuditAction.CREATE, person, snapshot)
              for person, snapshot in zip(people, audit.snapshots(people), strict=True)),
            *((AuditAction.UPDATE, person, audit.diff(person, before)) for _row, person, before in updated),
        ])
        self._count_deltas.update(deltas)
        return [(row_no, outcomes[row_no]) for row_no, _data in rows]

    def before_commit(self) -> None:
        derived.bulk_written(Person, member_deltas=self._count_deltas)

    def after_commit(self) -> None:
        _enqueue_recount(sorted(self._count_deltas))


def _member_values(data: dict[str, Any]) -> dict[str, Any]:
    """A row's values by attribute name (``organization_id``: comparing them loads no organization)."""
    return {
        "kind": PersonKind.MEMBER,
        "name": data["name"],
        "gender": data["gender"],
        "id_number": data["id_number"],
        "phone": data["phone"],
        "organization_id": data["organization_obj"].pk,
        "member_status": data["member_status"],
        "joined_party_on": data["joined_party_on"],
        "title": data["title"],
    }


def _counted_in(person: Person) -> int | None:
    """The organization whose member count includes this person (as the person services count), if any."""
    return person.organization_id if person.kind == PersonKind.MEMBER and person.organization_id else None


def _enqueue_recount(organization_ids: list[int]) -> None:
    """A check after the commit, not a repair the import relies on: the counts were moved in its transaction."""
    from .tasks import recount_members_task

    if organization_ids:
        recount_members_task.enqueue(organization_ids)


IMPORTERS: dict[str, type[Importer]] = {
    "units": UnitImporter,
    "organizations": OrganizationImporter,
    "members": MemberImporter,
}
