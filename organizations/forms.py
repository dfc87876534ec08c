from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from core.permissions import Action
from core.tree import subtree_q
from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone

from .choices import PersonKind
from .models import Organization, Person, Region, Unit
from .validators import validate_member_id_number


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "credit_code", "industry", "employee_count", "region", "address", "latitude",
                  "longitude"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices("region", Region.objects.restrict(self.user))

    def clean_credit_code(self) -> str | None:
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code and len(code) != 18:
            raise forms.ValidationError(_("A unified social credit code has 18 characters."))
        return code or None


class OrganizationForm(ScopedModelForm):
    contact_phone = forms.CharField(label=_("contact phone"), required=False, validators=[validate_phone])

    class Meta:
        model = Organization
        fields = ["name", "short_name", "code", "type", "parent", "unit", "region", "sector", "secretary",
                  "contact_name", "contact_phone", "founded_on"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Organization.objects.restrict(self.user, Action.CHANGE)
        if self.instance.pk:
            parents = parents.exclude(subtree_q(self.instance.path))
        self.scope_choices("parent", parents)
        self.scope_choices("unit", Unit.objects.restrict(self.user))
        self.scope_choices("region", Region.objects.restrict(self.user))
        self.fields["secretary"].queryset = (  # type: ignore[attr-defined]
            Person.objects.restrict(self.user).filter(organization=self.instance)
            if self.instance.pk else Person.objects.none()
        )
        self.fields["sector"].required = False
        self.fields["sector"].help_text = _("Leave empty to take it from the unit's kind.")
        if self.instance.pk:
            # Never echo a stored phone number into the page; an empty field keeps it.
            self.initial["contact_phone"] = ""
            self.fields["contact_phone"].help_text = _("Stored (masked: %(masked)s). Leave empty to keep it.") % {
                "masked": self.instance.contact_phone_masked or "—"
            }

    def clean_contact_phone(self) -> str:
        value = normalize_phone(self.cleaned_data.get("contact_phone", ""))
        return value or (self.instance.contact_phone if self.instance.pk else "")

    def clean_code(self) -> str | None:
        return (self.cleaned_data.get("code") or "").strip() or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sector") and not data.get("unit"):
            self.add_error("sector", _("Choose a sector, or a unit to take it from."))
        return data


class PersonForm(ScopedModelForm):
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    phone = forms.CharField(label=_("phone"), required=False, validators=[validate_phone])

    class Meta:
        model = Person
        fields = ["kind", "name", "gender", "id_number", "phone", "organization", "unit", "member_status",
                  "joined_party_on", "title"]
        widgets = {"joined_party_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices("organization", Organization.objects.restrict(self.user, Action.CHANGE))
        self.scope_choices("unit", Unit.objects.restrict(self.user))
        # Sensitive values are never pre-filled into the page: an empty field keeps the stored value.
        if self.instance.pk:
            for name in ("id_number", "phone"):
                self.initial[name] = ""
                self.fields[name].help_text = _("Stored (masked: %(masked)s). Leave empty to keep it.") % {
                    "masked": getattr(self.instance, f"{name}_masked") or "—"
                }

    def clean_id_number(self) -> str:
        value = normalize_id_number(self.cleaned_data.get("id_number", ""))
        if value:
            validate_id_number(value)
        elif self.instance.pk:
            value = self.instance.id_number
        return value

    def clean_phone(self) -> str:
        value = normalize_phone(self.cleaned_data.get("phone", ""))
        if not value and self.instance.pk:
            value = self.instance.phone
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "id_number" in data:
            try:
                validate_member_id_number(data.get("kind", self.instance.kind), data["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        if data.get("kind") == PersonKind.MEMBER:
            if not data.get("organization"):
                self.add_error("organization", _("A party member belongs to an organization."))
            if not data.get("member_status"):
                self.add_error("member_status", _("Choose full or probationary membership."))
        elif not (data.get("organization") or data.get("unit")):
            self.add_error("unit", _("A contact belongs to an organization or a unit."))
        return data
