from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.exporting import ExportColumn, build_xlsx, xlsx_response
from core.models import AuditAction
from core.permissions import Action, can, get_object_or_404_scoped, get_scope
from core.tree import subtree_q
from core.views import (
    ImportView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    StepView,
    apply_form_errors,
    form_messages,
    run_step,
)
from organizations.models import Organization

from . import calendar, ledger, selectors, series, services, signin
from .choices import ActivityStatus
from .filters import ActivityFilterSet, ActivitySeriesFilterSet, LedgerRuleFilterSet
from .forms import (
    ActivityForm,
    AttendanceForm,
    CompleteFollowUpForm,
    FeedForm,
    FollowUpForm,
    GuestForm,
    LedgerRuleForm,
    MonthThemeForm,
    PhotoForm,
    ReasonForm,
    RecordForm,
    RegisterForm,
    SeriesForm,
)
from .importers import ActivityImporter
from .models import Activity, ActivityPhoto, ActivitySeries, Attendance, CalendarFeed, LedgerRule, Registration
from .tables import ActivitySeriesTable, ActivityTable, LedgerRuleTable


def _hosts(a: Activity) -> str:
    return "、".join(link.organization.name for link in a.host_links.all())


ACTIVITY_EXPORT = (
    ExportColumn(gettext_lazy("Starts at"), lambda a: timezone.localtime(a.starts_at).replace(tzinfo=None)),
    ExportColumn(gettext_lazy("Ends at"), lambda a: timezone.localtime(a.ends_at).replace(tzinfo=None)),
    ExportColumn(gettext_lazy("Kind"), lambda a: a.get_kind_display()),
    ExportColumn(gettext_lazy("Theme"), lambda a: a.theme),
    ExportColumn(gettext_lazy("Lead host"), lambda a: a.lead_host.name if a.lead_host else ""),
    ExportColumn(gettext_lazy("Hosts"), _hosts),
    ExportColumn(gettext_lazy("Venue"), lambda a: a.venue),
    ExportColumn(gettext_lazy("Alliance"), lambda a: a.alliance.name if a.alliance else ""),
    ExportColumn(gettext_lazy("Workstream"), lambda a: a.workstream.name if a.workstream else ""),
    ExportColumn(gettext_lazy("Series"), lambda a: a.series.name if a.series else ""),
    ExportColumn(gettext_lazy("Status"), lambda a: a.get_status_display()),
    ExportColumn(gettext_lazy("Attendance"), lambda a: a.attendee_count),
    ExportColumn(gettext_lazy("Outcomes"), lambda a: a.outcomes),
)

ATTENDANCE_EXPORT = (
    ExportColumn(gettext_lazy("Name"), lambda r: r.name),
    ExportColumn(gettext_lazy("Organization or unit"), lambda r: r.organization.name if r.organization else
                 r.guest_unit),
    ExportColumn(gettext_lazy("Guest"), lambda r: _("yes") if r.is_guest else ""),
    ExportColumn(gettext_lazy("Signed in at"), lambda r: timezone.localtime(r.signed_in_at).replace(tzinfo=None)),
    ExportColumn(gettext_lazy("Method"), lambda r: r.get_method_display()),
)


class ActivityListView(ObjectListView):
    model = Activity
    filterset = ActivityFilterSet
    table = ActivityTable
    export_columns = ACTIVITY_EXPORT
    import_kind = "activities"

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.activity_list(request.user)


class MyRegistrationsView(LoginRequiredMixin, View):
    """The member's own registrations with their status, upcoming first: cards made for a phone."""

    def get(self, request: HttpRequest) -> HttpResponse:
        upcoming, past = selectors.my_registrations(request.user)
        return render(request, "activities/my_registrations.html", {
            "upcoming": upcoming, "past": past, "has_person": getattr(request.user, "person", None) is not None})


class ActivityDetailView(ObjectDetailView):
    model = Activity
    template_name = "activities/activity_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = get_object_or_404(selectors.activity_detail_queryset(request.user), pk=pk)
        can_change = can(request.user, Action.CHANGE, instance)
        now = timezone.now()
        attendance = list(instance.attendance.select_related("person", "organization"))
        opens, closes = signin.signin_window(instance)
        my_person = getattr(request.user, "person", None)
        my_person_id = my_person.pk if my_person is not None else None
        context = {
            "object": instance,
            "can_change": can_change,
            "hosts": list(instance.host_links.all()),
            "attendance": attendance,
            "attendance_by_org": selectors.attendance_by_organization(attendance),
            # Buttons for the steps that make sense now (the record has its own card).
            "steps": [s for s, (allowed, _t) in services.TRANSITIONS.items() if instance.status in allowed
                      and s != "record" and (s != "open" or instance.starts_at > now)
                      and (s != "hold" or instance.starts_at <= now)] if can_change else [],
            "started": instance.starts_at <= now,
            "signin_open": opens <= now <= closes and instance.status != ActivityStatus.CANCELLED,
            "signin_opens": opens, "signin_closes": closes,
            "record_form": RecordForm(initial={"minutes": instance.minutes, "outcomes": instance.outcomes}),
            "attendance_form": AttendanceForm(
                queryset=selectors.markable_people(request.user, instance).order_by("organization__path", "name"),
                # Whoever registered and has not signed in is pre-selected: nobody types the names again.
                initial={"people": selectors.registered_absent(instance)}) if can_change else None,
            "followup_form": FollowUpForm(user=request.user, initial={"owner_organization": instance.lead_host})
            if can_change else None,
            "photo_form": PhotoForm() if can_change else None,
            "my_attendance": next((r for r in attendance if r.person_id and r.person_id == my_person_id), None),
            **self._registration_context(request, instance, can_change, attendance, my_person_id, now),
        }
        return render(request, self.template_name, context)


    @staticmethod
    def _registration_context(request: HttpRequest, instance: Activity, can_change: bool,
                              attendance: list[Attendance], my_person_id: int | None,
                              now: Any) -> dict[str, Any]:
        registrations = selectors.registrations(instance)
        taken = len(registrations)
        open_now = instance.status == ActivityStatus.OPEN and instance.starts_at > now
        return {
            "registrations": registrations if can_change else [],
            "registered_count": taken,
            "is_full": instance.capacity is not None and taken >= instance.capacity,
            "registration_open": open_now,
            "my_registration": next((r for r in registrations if r.person_id == my_person_id), None),
            "can_register_self": my_person_id is not None and open_now,
            "register_form": RegisterForm(queryset=selectors.markable_people(request.user, instance)
                                          .order_by("organization__path", "name"))
            if can_change and open_now else None,
        }


class ActivityImportView(ImportView):
    """Activities that have already taken place, from Excel."""

    importers = {"activities": ActivityImporter}


class ActivityEditView(ObjectEditView):
    model = Activity
    form_class = ActivityForm
    template_name = "core/object_edit.html"

    RELATIONS = ("lead", "co_hosts", "pairs", "invited_organizations")

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return selectors.activity_prefill(request.user, request.GET)

    def get_object(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            if get_scope(request.user, Action.CHANGE).is_empty:
                raise PermissionDenied
            return Activity()
        return super().get_object(request, pk)

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        relations = {name: form.cleaned_data[name] for name in self.RELATIONS}
        if instance.pk is None:
            return services.activity_create(actor=request.user, data=data, **relations)
        return services.activity_update(actor=request.user, activity=instance, data=data, **relations)


class ActivityDeleteView(ObjectDeleteView):
    model = Activity
    delete_service = services.activity_delete
    service_object_kwarg = "activity"
    success_url = "activities:activity_list"


class ActivityStepView(StepView):
    """POST one step on an activity; the services check who may take it and when."""

    model = Activity

    def anchor(self, request: HttpRequest) -> str:
        return request.POST.get("anchor", "")

    def step_open(self, request: HttpRequest, activity: Activity) -> None:
        run_step(request, services.activity_open, _("Registration is open."), activity=activity)

    def step_hold(self, request: HttpRequest, activity: Activity) -> None:
        run_step(request, services.activity_hold, _("Marked as held."), activity=activity)

    def step_record(self, request: HttpRequest, activity: Activity) -> None:
        form = RecordForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.activity_record, _("The record is saved; it counts in every co-host's "
                                                          "ledger and each linked pair's progress."),
                     activity=activity, **form.cleaned_data)

    def step_cancel(self, request: HttpRequest, activity: Activity) -> None:
        form = ReasonForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.activity_cancel, _("The activity is cancelled."), activity=activity,
                     reason=form.cleaned_data["reason"])

    def step_rotate_key(self, request: HttpRequest, activity: Activity) -> None:
        run_step(request, services.signin_key_rotate, _("A new sign-in code was made; the old one no longer "
                                                         "works."), activity=activity)

    def step_attendance(self, request: HttpRequest, activity: Activity) -> None:
        if not can(request.user, Action.CHANGE, activity):
            raise PermissionDenied
        form = AttendanceForm(request.POST, queryset=selectors.markable_people(request.user, activity))
        if not self.valid(request, form):
            return
        try:
            added, already = services.attendance_mark(actor=request.user, activity=activity,
                                                      people=form.cleaned_data["people"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return
        messages.success(request, _("Marked %(n)d present.") % {"n": len(added)})
        if already:
            messages.info(request, _("Already signed in: %(names)s.") % {"names": "、".join(p.name for p in already)})

    def step_remove_attendance(self, request: HttpRequest, activity: Activity) -> None:
        row = get_object_or_404(Attendance, pk=request.POST.get("row") or 0, activity=activity)
        run_step(request, services.attendance_remove, _("Removed from the attendance."), attendance=row)

    def step_follow_up(self, request: HttpRequest, activity: Activity) -> None:
        form = FollowUpForm(request.POST, user=request.user)
        if self.valid(request, form):
            run_step(request, services.followup_add, _("Follow-up item added."), activity=activity,
                     **form.cleaned_data)

    def step_complete_follow_up(self, request: HttpRequest, activity: Activity) -> None:
        form = CompleteFollowUpForm(request.POST)
        if self.valid(request, form):
            item = get_object_or_404(activity.follow_ups, pk=form.cleaned_data["item"])
            run_step(request, services.followup_complete, _("Item done."), item=item,
                     result=form.cleaned_data["result"])

    def step_photo(self, request: HttpRequest, activity: Activity) -> None:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.PHOTO_MAX_BYTES + 64 * 1024:
            messages.error(request, _("The photo is %(size)s; the limit is %(limit)s.") % {
                "size": filesizeformat(declared), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)})
            return
        form = PhotoForm(request.POST, request.FILES)
        if self.valid(request, form):
            upload = form.cleaned_data["photo"]
            run_step(request, services.photo_add, _("Photo added."), activity=activity, upload=upload,
                     size=upload.size or 0, caption=form.cleaned_data["caption"])

    def step_register(self, request: HttpRequest, activity: Activity) -> None:
        if "person" not in request.POST:  # the member registers themselves
            run_step(request, services.register, _("You are registered."), activity=activity)
            return
        form = RegisterForm(request.POST, queryset=selectors.markable_people(request.user, activity))
        if self.valid(request, form):
            run_step(request, services.register, _("Registered."), activity=activity,
                     person=form.cleaned_data["person"])

    def step_unregister(self, request: HttpRequest, activity: Activity) -> None:
        registration = get_object_or_404(Registration, pk=request.POST.get("registration") or 0, activity=activity)
        run_step(request, services.unregister, _("The registration is cancelled."), registration=registration)

    def step_delete_photo(self, request: HttpRequest, activity: Activity) -> None:
        photo = get_object_or_404(ActivityPhoto, pk=request.POST.get("photo") or 0, activity=activity)
        run_step(request, services.photo_delete, _("Photo deleted."), photo=photo)


class PhotoView(LoginRequiredMixin, View):
    """A photo, for whoever may see its activity (never from a public URL)."""

    def get(self, request: HttpRequest, pk: int, photo: int) -> HttpResponseBase:
        activity = get_object_or_404_scoped(Activity, request.user, pk=pk)
        found = get_object_or_404(ActivityPhoto, pk=photo, activity=activity)
        try:
            handle = found.image.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _manager_activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404_scoped(Activity, request.user, pk=pk)
    if not can(request.user, Action.CHANGE, activity):
        raise PermissionDenied
    return activity


class QrCodeView(LoginRequiredMixin, View):
    """The sign-in QR code (SVG, made in-process) for the hosts to show or print."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = _manager_activity(request, pk)
        image = qrcode.make(signin.absolute_url(request, activity), image_factory=qrcode.image.svg.SvgPathImage,
                            box_size=12, border=2)
        buf = io.BytesIO()
        image.save(buf)
        response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response


class QrPageView(LoginRequiredMixin, View):
    """A page to put on the screen at the venue or print: the code, the activity and the sign-in window."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = _manager_activity(request, pk)
        opens, closes = signin.signin_window(activity)
        return render(request, "activities/qr.html", {
            "object": activity, "signin_url": signin.absolute_url(request, activity), "opens": opens,
            "closes": closes})


class SignInView(View):
    """The page behind the QR code, made for a phone. Members sign in with their account; guests with their name
    and unit. Nobody is made to sign in: the page only records who chose to."""

    template_name = "activities/signin.html"

    def _context(self, request: HttpRequest, token: str) -> tuple[Activity | None, dict[str, Any]]:
        try:
            activity = signin.read_token(token)
        except ValidationError as exc:
            return None, {"token_error": exc.messages[0]}
        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        mine = Attendance.objects.filter(activity=activity, person=person).first() if person else None
        return activity, {"object": activity, "person": person, "mine": mine, "guest_form": GuestForm(),
                          "token": token}

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        activity, context = self._context(request, token)
        return render(request, self.template_name, context, status=200 if activity else 400)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        activity, context = self._context(request, token)
        if activity is None:
            return render(request, self.template_name, context, status=400)
        try:
            if request.POST.get("as") == "guest":
                form = GuestForm(request.POST)
                context["guest_form"] = form
                form.is_valid()
                row = services.sign_in_guest(activity=activity, name=form.cleaned_data.get("name", ""),
                                             unit=form.cleaned_data.get("unit", ""))
            else:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                row = services.sign_in(activity=activity, person=services.require_person(request.user))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "guest_form" in context:
                apply_form_errors(context["guest_form"], exc)
            else:
                context["signin_error"] = exc.messages[0]
            return render(request, self.template_name, context, status=400)
        context["done"] = row
        return render(request, self.template_name, context)


class AttendanceExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404_scoped(Activity, request.user, pk=pk)
        rows = Attendance.objects.restrict(request.user).filter(activity=activity).select_related(
            "person", "organization")
        content = build_xlsx(str(_("Attendance")), ATTENDANCE_EXPORT, rows.iterator())
        audit.record(actor=request.user, action=AuditAction.EXPORT, instance=activity,
                     changes={"export": "attendance"})
        return xlsx_response(f"attendance-{activity.pk}-{timezone.localdate():%Y%m%d}.xlsx", content)


# Ledger ------------------------------------------------------------------------------------------------------------


class LedgerMatrixView(LoginRequiredMixin, View):
    """The ledger of a subtree as a matrix: organizations × rules, periods met out of periods elapsed."""

    per_page = 50

    def get(self, request: HttpRequest) -> HttpResponse:
        year = ledger.parse_year(request.GET.get("year"))
        visible = Organization.objects.restrict(request.user)
        root = None
        root_id = request.GET.get("root")
        if root_id and root_id.isdigit():
            root = get_object_or_404_scoped(Organization, request.user, pk=int(root_id))
        orgs = visible.filter(subtree_q(root.path)) if root else visible
        orgs = orgs.filter(type__in=LedgerRule.objects.filter(is_active=True).values("organization_type")) \
            .select_related("region").order_by("path")
        page = Paginator(orgs, self.per_page).get_page(request.GET.get("page"))
        rules = ledger.active_rules()
        columns, rows = ledger.matrix(ledger.build_ledgers(list(page.object_list), year, rules=rules), rules)
        return render(request, "activities/ledger_matrix.html", {
            "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "root": root, "roots": visible.filter(depth__lte=(root.depth + 1) if root else 2).order_by("path")[:300],
            "columns": columns, "rows": rows, "page": page})


class OrganizationLedgerView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        organization = get_object_or_404_scoped(Organization, request.user, pk=pk)
        year = ledger.parse_year(request.GET.get("year"))
        lg = ledger.build_ledgers([organization], year)[0]
        activities = selectors.organization_activities(request.user, organization).filter(
            starts_at__year=year).order_by("starts_at")
        return render(request, "activities/organization_ledger.html", {
            "organization": organization, "ledger": lg, "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "activities": activities,
        })


class LedgerRuleListView(ObjectListView):
    model = LedgerRule
    table = LedgerRuleTable

    filterset = LedgerRuleFilterSet

    def can_add(self, request: HttpRequest) -> bool:
        return get_scope(request.user, Action.CHANGE).everything

    def add_url(self) -> str:
        return reverse("activities:rule_add")


class LedgerRuleEditView(LoginRequiredMixin, View):
    """Platform administrators configure the rules."""

    def _check(self, request: HttpRequest) -> None:
        if not get_scope(request.user, Action.CHANGE).everything:
            raise PermissionDenied

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self._check(request)
        instance = get_object_or_404(LedgerRule, pk=pk) if pk else LedgerRule()
        return render(request, "core/object_edit.html", {"form": LedgerRuleForm(instance=instance),
                                                         "object": instance, "model_meta": LedgerRule._meta})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self._check(request)
        instance = get_object_or_404(LedgerRule, pk=pk) if pk else LedgerRule()
        form = LedgerRuleForm(request.POST, instance=LedgerRule.objects.get(pk=pk) if pk else LedgerRule())
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                rule = services.rule_save(actor=request.user, rule=instance, data=data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": rule})
                return HttpResponseRedirect(reverse("activities:rule_list"))
        return render(request, "core/object_edit.html", {"form": form, "object": instance,
                                                         "model_meta": LedgerRule._meta})


# Series ------------------------------------------------------------------------------------------------------------


class SeriesListView(ObjectListView):
    model = ActivitySeries
    filterset = ActivitySeriesFilterSet
    table = ActivitySeriesTable

    def get_queryset(self, request: HttpRequest) -> Any:
        return ActivitySeries.objects.restrict(request.user).select_related("owner", "programme")

    def add_url(self) -> str:
        return reverse("activities:series_add")


class SeriesDetailView(ObjectDetailView):
    model = ActivitySeries
    template_name = "activities/series_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        months = series.series_months(instance)
        themes = series.month_themes(instance)
        return {
            "months": [(m, themes.get(m)) for m in months],
            "matrix": series.completion_matrix(instance, request.user),
            "by_pair": bool(instance.programme_id),
            "theme_form": MonthThemeForm(),
            "this_month": timezone.localdate().replace(day=1),
        }


class SeriesEditView(ObjectEditView):
    model = ActivitySeries
    form_class = SeriesForm
    create_service = services.series_create
    update_service = services.series_update
    service_object_kwarg = "series"


class SeriesThemeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = get_object_or_404_scoped(ActivitySeries, request.user, pk=pk)
        form = MonthThemeForm(request.POST)
        if not form.is_valid():
            for message in form_messages(form):
                messages.error(request, message)
        else:
            run_step(request, services.series_set_theme, _("Saved the month's theme."), series=found,
                     **form.cleaned_data)
        return HttpResponseRedirect(found.get_absolute_url())


# Calendar ----------------------------------------------------------------------------------------------------------


def _calendar_org(request: HttpRequest) -> Organization | None:
    org_id = request.GET.get("org")
    if org_id and org_id.isdigit():
        return get_object_or_404_scoped(Organization, request.user, pk=int(org_id))
    return None


class CalendarMonthView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        try:
            first = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
        except ValueError:
            first = today.replace(day=1)
        org = _calendar_org(request)
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        return render(request, "activities/calendar_month.html", {
            "first": first, "weeks": calendar.month_grid(request.user, first.year, first.month, org),
            "prev": f"{prev_month:%Y-%m}", "next": f"{next_month:%Y-%m}", "org": org,
            "week_of": today if first.replace(day=1) == today.replace(day=1) else first,
        })


class CalendarWeekView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            day = dt.date.fromisoformat(request.GET.get("week") or "")
        except ValueError:
            day = timezone.localdate()
        monday = day - dt.timedelta(days=day.weekday())
        org = _calendar_org(request)
        return render(request, "activities/calendar_week.html", {
            "days": calendar.week_days(request.user, monday, org), "monday": monday, "org": org,
            "prev": (monday - dt.timedelta(days=7)).isoformat(), "next": (monday + dt.timedelta(days=7)).isoformat(),
        })


class FeedListView(LoginRequiredMixin, View):
    """The user's secret calendar links: make one (personal or for an organization), revoke one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        feeds = CalendarFeed.objects.filter(user=cast(Any, request.user)).select_related("organization")
        return render(request, "activities/feeds.html", {
            "feeds": feeds, "form": FeedForm(user=request.user),
            "base": settings.SITE_URL.rstrip("/") if settings.SITE_URL else request.build_absolute_uri("/")[:-1]})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "revoke" in request.POST:
            feed = get_object_or_404(CalendarFeed, pk=request.POST.get("revoke") or 0, user_id=request.user.pk)
            run_step(request, services.feed_revoke, _("The link is revoked; calendars using it stop updating."),
                     feed=feed)
        else:
            form = FeedForm(request.POST, user=request.user)
            if form.is_valid():
                run_step(request, services.feed_create, _("A new calendar link was made."),
                         organization=form.cleaned_data["organization"])
            else:
                for message in form_messages(form):
                    messages.error(request, message)
        return HttpResponseRedirect(reverse("activities:feeds"))


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret link (no login: calendar programs cannot log in)."""
    feed = CalendarFeed.objects.filter(token=token, revoked_at=None).select_related("user", "organization").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    if feed.organization is not None and not can(feed.user, Action.VIEW, feed.organization):
        raise Http404
    services.feed_mark_used(feed=feed)
    name = feed.organization.name if feed.organization else str(_("Lianmeng activities"))
    body = calendar.ical(calendar.feed_activities(feed), name, calendar.site_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lianmeng.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response

