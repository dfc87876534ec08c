"""Forms of the account pages; their choices come from what the signed-in manager may reach or give."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import bootstrap
from organizations.models import Unit

from . import selectors
from .models import Role, User


class UserCreateForm(forms.Form):
    GENERATE, CHOOSE = "generate", "choose"

    username = forms.CharField(label=_("username"), max_length=150,
                               help_text=_("Letters, digits and @/./+/-/_ only."),
                               widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}))
    display_name = forms.CharField(label=_("display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("email address"), required=False,
                             help_text=_("Needed to reset a forgotten password by mail."))
    language = forms.ChoiceField(label=_("language"), required=False,
                                 choices=[("", _("The platform's language")), *settings.LANGUAGES])
    # A number, not a list: a province has millions of people. The person's page links here with ?person=<id>;
    # a number outside the manager's scope is refused like a missing one.
    person = forms.ModelChoiceField(
        label=_("person number"), queryset=User.objects.none(), required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={"invalid_choice": _("No person without an account has this number in your scope.")},
        help_text=_("The number in the address of the person's page. A member's account gets the member role."))
    password_mode = forms.ChoiceField(
        label=_("initial password"), widget=forms.RadioSelect, initial=GENERATE,
        choices=[(GENERATE, _("Generate one and show it once")), (CHOOSE, _("Choose it"))])
    password = forms.CharField(label=_("password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.linkable_people(user)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        wanted = str(self.initial.get("person", ""))
        chosen = people.filter(pk=wanted).first() if wanted.isdigit() else None
        if chosen is not None:  # say whom the number stands for
            self.fields["person"].help_text = f"{chosen} · {chosen.organization or '—'}"
        auth = selectors.authority(user)
        if not (auth.everything or auth.is_staff):
            self.fields["person"].required = True
        bootstrap(self)
        self.fields["password_mode"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") == self.CHOOSE and not data.get("password"):
            self.add_error("password", _("Enter the password, or let one be generated."))
        return data


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "language", "unit"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The units the manager sees, plus the one already linked (saving another change must not clear it).
        units = Unit.objects.restrict(user)
        if self.instance.unit_id:
            units = units | Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = units.select_related("region").order_by("name")  # type: ignore[attr-defined]
        bootstrap(self)


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("role"))
    region = forms.ModelChoiceField(label=_("region"), queryset=User.objects.none(), required=False,
                                    help_text=_("Department staff: the region they look after."))
    organization = forms.ModelChoiceField(label=_("organization"), queryset=User.objects.none(), required=False,
                                          help_text=_("Secretary, or staff of one organization's subtree."))
    alliance = forms.ModelChoiceField(label=_("alliance"), queryset=User.objects.none(), required=False,
                                      help_text=_("Alliance administrator: the alliance."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auth = selectors.authority(user)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in selectors.grantable_roles(auth)]  # type: ignore[attr-defined]
        self.fields["region"].queryset = selectors.grantable_regions(auth)  # type: ignore[attr-defined]
        self.fields["organization"].queryset = selectors.grantable_organizations(auth)  # type: ignore[attr-defined]
        self.fields["alliance"].queryset = selectors.grantable_alliances(auth)  # type: ignore[attr-defined]
        if not auth.is_staff and not auth.everything:  # a secretary gives the member role only: no scope to pick
            for name in ("region", "organization", "alliance"):
                del self.fields[name]
        bootstrap(self)


class MemberAccountsForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("organization"), queryset=User.objects.none(),
                                          help_text=_("Its members without an account get one."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.member_account_organizations(user)  # type: ignore[attr-defined]
        bootstrap(self)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's (one mail per active account with that address, and the same answer whether or not there is
    one), with the mail written in the recipient's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        language = getattr(context.get("user"), "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)

