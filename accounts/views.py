import base64
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import View
from django.views import i18n as i18n_views
from rest_framework.authtoken.models import Token

from core.exporting import XLSX_CONTENT_TYPE
from core.views import ObjectListView, apply_form_errors, form_messages, run_step

from . import selectors, services
from .filters import UserFilterSet
from .forms import (
    MemberAccountsForm,
    PasswordChangeForm,
    PasswordResetForm,
    RoleGrantForm,
    SetPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from .models import RoleAssignment, User
from .sheets import member_accounts_workbook
from .tables import UserTable, role_label


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Signed in: the interface speaks the language the user last chose, on this device too."""
        response = super().form_valid(form)
        language = cast(User, form.get_user()).language
        if language:
            remember_language(response, language)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT,
                "lockout_minutes": round(float(settings.AXES_COOLOFF_TIME) * 60)}


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): the session row is deleted, so the old cookie is worthless."""


class ProfileView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        return render(request, "accounts/profile.html", {
            "roles": RoleAssignment.objects.filter(user=user).select_related("region", "organization"),
            "has_token": Token.objects.filter(user=user).exists(),
        })


class ApiTokenView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your API token was revoked."))
            return HttpResponseRedirect(reverse("accounts:profile"))
        key = services.api_token_create(actor=request.user)  # type: ignore[arg-type]
        return render(request, "accounts/token_created.html", {"key": key})


def remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie as Django's ``set_language`` view sets it."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (``django.views.i18n.set_language``); a signed-in user's choice is also kept on
    the account (``services.user_language_set``)."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language and check_for_language(language):
        services.user_language_set(user=cast(User, request.user), language=language)
    return response


# --- Accounts managed inside the manager's scope -------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not selectors.can_manage_accounts(request.user):
        raise PermissionDenied


def _managed_user_or_404(request: HttpRequest, pk: int) -> User:
    user = selectors.user_for_manager(request.user, pk)
    if user is None:
        raise Http404
    return user


def _shown_once(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page that shows a password: never kept by a browser's or proxy's cache."""
    response = render(request, template, context)
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response


class UserListView(ObjectListView):
    model = User
    filterset = UserFilterSet
    table = UserTable
    template_name = "accounts/user_list.html"

    def get_queryset(self, request: HttpRequest) -> Any:
        _require_manager(request)
        return selectors.user_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return True  # get_queryset let only managers in


class UserCreateView(LoginRequiredMixin, View):
    template_name = "accounts/user_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_manager(request)
        initial = {"person": request.GET.get("person")} if request.GET.get("person") else {}
        return render(request, self.template_name, {"form": UserCreateForm(user=request.user, initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_manager(request)
        form = UserCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data["password"] if data["password_mode"] == UserCreateForm.CHOOSE else None
            try:
                user, password = services.user_create(actor=request.user, data=data, password=chosen,
                                                      person=data["person"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                if password is not None:
                    return _shown_once(request, "accounts/password_shown.html",
                                       {"account": user, "password": password, "created": True})
                messages.success(request, _("Created the account “%(user)s”.") % {"user": user.username})
                return HttpResponseRedirect(user.get_absolute_url())
        return render(request, self.template_name, {"form": form})


class UserEditView(LoginRequiredMixin, View):
    template_name = "accounts/user_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = _managed_user_or_404(request, pk)
        return render(request, self.template_name, {"form": UserEditForm(instance=account, user=request.user),
                                                    "account": account})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = _managed_user_or_404(request, pk)
        # The form writes onto its own copy, so the service sees what changed and audits it.
        form = UserEditForm(request.POST, instance=_managed_user_or_404(request, pk), user=request.user)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=account, data=form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": account})
                return HttpResponseRedirect(account.get_absolute_url())
        return render(request, self.template_name, {"form": form, "account": account})


class UserDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = _managed_user_or_404(request, pk)
        return render(request, "accounts/user_detail.html", {
            "account": account,
            "person": getattr(account, "person", None),
            "roles": [(a, role_label(a)) for a in account.roles.all()],
            "grant_form": RoleGrantForm(user=request.user),
            "is_self": account.pk == request.user.pk,
        })


class UserStepView(LoginRequiredMixin, View):
    """POST ``/accounts/users/<pk>/do/<step>/``: give or revoke a role, deactivate or reactivate; the services
    decide who may."""

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        account = _managed_user_or_404(request, pk)
        handler = getattr(self, "step_" + step.replace("-", "_"), None)
        if handler is None:
            raise Http404
        handler(request, account)
        if selectors.user_for_manager(request.user, pk) is None:  # e.g. its last role in reach was revoked
            return HttpResponseRedirect(reverse("accounts:user_list"))
        return HttpResponseRedirect(account.get_absolute_url())

    def step_grant(self, request: HttpRequest, account: User) -> None:
        form = RoleGrantForm(request.POST, user=request.user)
        if not form.is_valid():
            for message in form_messages(form):
                messages.error(request, message)
            return
        data = form.cleaned_data
        run_step(request, services.role_assign, _("The role was given."), user=account, role=data["role"],
                 region=data.get("region"), organization=data.get("organization"), alliance=data.get("alliance"))

    def step_revoke(self, request: HttpRequest, account: User) -> None:
        assignment = account.roles.filter(pk=request.POST.get("assignment") or 0).first()
        if assignment is None:
            raise Http404
        run_step(request, services.role_revoke, _("The role was revoked."), assignment=assignment)

    def step_deactivate(self, request: HttpRequest, account: User) -> None:
        run_step(request, services.user_deactivate, _("The account was deactivated."), user=account)

    def step_reactivate(self, request: HttpRequest, account: User) -> None:
        run_step(request, services.user_reactivate, _("The account was reactivated."), user=account)


class UserPasswordResetView(LoginRequiredMixin, View):
    """A manager's reset: confirm, then the one-time password is shown once."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "accounts/user_password_reset.html",
                      {"account": _managed_user_or_404(request, pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = _managed_user_or_404(request, pk)
        try:
            password = services.user_password_reset(actor=request.user, user=account)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(account.get_absolute_url())
        return _shown_once(request, "accounts/password_shown.html", {"account": account, "password": password})


class MemberAccountsView(LoginRequiredMixin, View):
    """Accounts for an organization's members in one go; the report and the one-time passwords (also as an
    Excel file, embedded in the page, so that they are never stored) are shown once."""

    template_name = "accounts/member_accounts.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_manager(request)
        return render(request, self.template_name, {"form": MemberAccountsForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_manager(request)
        form = MemberAccountsForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                result = services.member_accounts_create(actor=request.user,
                                                         organization=form.cleaned_data["organization"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                workbook = member_accounts_workbook(result) if result.created else b""
                return _shown_once(request, self.template_name, {
                    "form": form, "result": result,
                    "workbook": base64.b64encode(workbook).decode() if workbook else "",
                    "workbook_type": XLSX_CONTENT_TYPE,
                    "filename": f"lianmeng-accounts-{result.organization.pk}.xlsx"})
        return render(request, self.template_name, {"form": form}, status=400)


# --- Passwords ------------------------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        # Not form.save(): the service writes only the password (and clears the mark) and audits it.
        services.user_password_set(actor=self.request.user, user=form.user,
                                   password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)  # this session stays; the others end
        messages.success(self.request, _("Your password was changed."))
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                                      require_https=self.request.is_secure()):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", ""),
                "forced": getattr(self.request.user, "must_change_password", False)}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if settings.SITE_URL:  # links in mails point at the public address when it is configured
            site = urlsplit(settings.SITE_URL)
            self.extra_email_context = {"site_protocol": site.scheme, "site_domain": site.netloc}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        # As Django's, but the password goes through the audited service; no login here (the login page keeps
        # the lockout).
        services.user_password_set(actor=form.user, user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
