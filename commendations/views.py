from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.exporting import ExportColumn, build_xlsx, xlsx_response
from core.models import AuditAction
from core.permissions import Action, can, get_object_or_404_scoped
from core.views import ImportView, ObjectEditView, ObjectListView, StepView, apply_form_errors, run_step

from . import documents, selectors, services
from .choices import EDITABLE, WITHDRAWABLE, CampaignStatus, NominationStatus
from .filters import CampaignFilterSet, HonourFilterSet, NominationFilterSet, ObjectionFilterSet
from .forms import (
    CampaignForm,
    CategoryForm,
    DecisionForm,
    HandleForm,
    NominationEditForm,
    NominationForm,
    NoticeForm,
    ObjectionForm,
    QuotaForm,
    ReasonForm,
    ReviewForm,
    StageForm,
)
from .importers import QuotaImporter
from .models import Campaign, Honour, Nomination, Notice, Objection
from .tables import CampaignTable, HonourTable, NominationTable, ObjectionTable

# Campaigns --------------------------------------------------------------------------------------------------------


class CampaignListView(ObjectListView):
    model = Campaign
    filterset = CampaignFilterSet
    table = CampaignTable
    export_columns = (
        ExportColumn(gettext_lazy("Title"), lambda c: c.title),
        ExportColumn(gettext_lazy("Year"), lambda c: c.year),
        ExportColumn(gettext_lazy("Issuing organization"), lambda c: c.issuer.name),
        ExportColumn(gettext_lazy("Status"), lambda c: c.get_status_display()),
        ExportColumn(gettext_lazy("Nominations from"), lambda c: c.nominate_from),
        ExportColumn(gettext_lazy("Nominations until"), lambda c: c.nominate_until),
        ExportColumn(gettext_lazy("Decide by"), lambda c: c.decide_by),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.campaign_list(request.user)


class CampaignEditView(ObjectEditView):
    model = Campaign
    form_class = CampaignForm
    create_service = services.campaign_create
    update_service = services.campaign_update
    service_object_kwarg = "campaign"


class CampaignDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404_scoped(Campaign, request.user, pk=pk)
        can_change = can(request.user, Action.CHANGE, campaign)
        draft = campaign.status == CampaignStatus.DRAFT
        noticing = campaign.status in (CampaignStatus.REVIEWING, CampaignStatus.ON_NOTICE)
        categories = list(campaign.categories.prefetch_related("quotas__organization"))
        nominations = selectors.nomination_list(request.user).filter(campaign=campaign).order_by("category", "id")
        context = {
            "object": campaign, "can_change": can_change, "categories": categories,
            "stages": list(campaign.stages.select_related("organization")),
            "notices": list(campaign.notices.all()),
            "decision": getattr(campaign, "decision", None) if campaign.status in (
                CampaignStatus.DECIDED, CampaignStatus.ARCHIVED) else None,
            "nominations": list(nominations),
            "warnings": selectors.structure_warnings(campaign) if can_change else [],
            "nominating": list(selectors.nominating_organizations(request.user, campaign))
            if campaign.status == CampaignStatus.OPEN else [],
            "setup": can_change and draft,
            "category_form": CategoryForm() if can_change and draft else None,
            "quota_form": QuotaForm(campaign=campaign, user=request.user) if can_change and draft else None,
            "stage_form": StageForm(user=request.user) if can_change and draft else None,
            "notice_form": NoticeForm(initial={"starts_on": timezone.localdate()}) if can_change and noticing else None,
            "decision_form": DecisionForm(initial={"date": timezone.localdate()})
            if can_change and campaign.status == CampaignStatus.ON_NOTICE else None,
        }
        return render(request, "commendations/campaign_detail.html", context)


class CampaignStepView(StepView):
    """Set-up and the campaign's steps; the services check who may take them and when."""

    model = Campaign

    def step_open(self, request: HttpRequest, campaign: Campaign) -> None:
        run_step(request, services.campaign_open, _("Nominations are open; the nominating organizations were told."),
                 campaign=campaign)

    def step_close(self, request: HttpRequest, campaign: Campaign) -> None:
        run_step(request, services.campaign_close_nominations, _("Nominations are closed; the review goes on."),
                 campaign=campaign)

    def step_archive(self, request: HttpRequest, campaign: Campaign) -> None:
        run_step(request, services.campaign_archive, _("Archived."), campaign=campaign)

    def step_category(self, request: HttpRequest, campaign: Campaign) -> None:
        form = CategoryForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.category_add, _("Category added."), campaign=campaign, data=form.cleaned_data)

    def step_quota(self, request: HttpRequest, campaign: Campaign) -> None:
        form = QuotaForm(request.POST, campaign=campaign, user=request.user)
        if self.valid(request, form):
            run_step(request, services.quota_set, _("Places given."), **form.cleaned_data)

    def step_stage(self, request: HttpRequest, campaign: Campaign) -> None:
        form = StageForm(request.POST, user=request.user)
        if self.valid(request, form):
            run_step(request, services.stage_add, _("Review stage added."), campaign=campaign, **form.cleaned_data)

    def step_notice(self, request: HttpRequest, campaign: Campaign) -> None:
        form = NoticeForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.notice_start, _("The public notice has started."), campaign=campaign,
                     **form.cleaned_data)

    def step_decide(self, request: HttpRequest, campaign: Campaign) -> None:
        form = DecisionForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.decision_issue, _("The decision is issued; the honours are on the records."),
                     campaign=campaign, **form.cleaned_data)


class QuotaImportView(ImportView):
    """A campaign's quotas from Excel, while it is being set up."""

    def get_importer(self, request: HttpRequest, kind: str) -> QuotaImporter:
        campaign = get_object_or_404_scoped(Campaign, request.user, pk=int(kind))
        if not can(request.user, Action.CHANGE, campaign):
            raise PermissionDenied
        return QuotaImporter(actor=request.user, campaign=campaign)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        return super().get(request, str(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        return super().post(request, str(pk))


class NominatingView(LoginRequiredMixin, View):
    """A nominating organization's page for a campaign: its places (used x / y), its nominations and the form."""

    def _context(self, request: HttpRequest, pk: int, org: int) -> dict[str, Any]:
        campaign = get_object_or_404_scoped(Campaign, request.user, pk=pk)
        nominator = get_object_or_404(selectors.nominating_organizations(request.user, campaign), pk=org)
        people, organizations = selectors.nominee_choices(request.user, nominator)
        return {"campaign": campaign, "nominator": nominator, "people": people, "organizations": organizations,
                "places": selectors.places(campaign, nominator),
                "nominations": list(selectors.nomination_list(request.user).filter(campaign=campaign,
                                                                                   nominator=nominator))}

    def _render(self, request: HttpRequest, context: dict[str, Any], form: Any) -> HttpResponse:
        open_now = context["campaign"].status == CampaignStatus.OPEN
        shown = form if open_now or form.errors else None  # a refusal is shown even once the window has closed
        return render(request, "commendations/nominating.html", {**context, "form": shown})

    def get(self, request: HttpRequest, pk: int, org: int) -> HttpResponse:
        context = self._context(request, pk, org)
        form = NominationForm(campaign=context["campaign"], people=context["people"],
                              organizations=context["organizations"])
        return self._render(request, context, form)

    def post(self, request: HttpRequest, pk: int, org: int) -> HttpResponse:
        context = self._context(request, pk, org)
        form = NominationForm(request.POST, campaign=context["campaign"], people=context["people"],
                              organizations=context["organizations"])
        if form.is_valid():
            data = form.cleaned_data
            try:
                nomination = services.nomination_create(
                    actor=request.user, campaign=context["campaign"], category=data["category"],
                    nominator=context["nominator"], person=data["person"], organization=data["organization"],
                    data={f: data[f] for f in services.NOMINATION_FIELDS})
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Draft saved; submit it when it is complete."))
                return HttpResponseRedirect(nomination.get_absolute_url())
        return self._render(request, context, form)


# Nominations ------------------------------------------------------------------------------------------------------


class NominationListView(ObjectListView):
    model = Nomination
    filterset = NominationFilterSet
    table = NominationTable
    export_columns = (
        ExportColumn(gettext_lazy("Nominee"), lambda n: n.nominee_name),
        ExportColumn(gettext_lazy("Category"), lambda n: n.category.name),
        ExportColumn(gettext_lazy("Campaign"), lambda n: n.campaign.title),
        ExportColumn(gettext_lazy("Nominating organization"), lambda n: n.nominator.name),
        ExportColumn(gettext_lazy("Status"), lambda n: n.get_status_display()),
        ExportColumn(gettext_lazy("Review stage"), lambda n: n.stage.name if n.stage else ""),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.nomination_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return False  # a nomination is made on the nominating organization's page of a campaign


class NominationDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = get_object_or_404(selectors.nomination_list(request.user), pk=pk)
        can_change = can(request.user, Action.CHANGE, nomination)
        stage = nomination.stage
        reviewer = (nomination.status == NominationStatus.SUBMITTED and stage is not None
                    and services.is_reviewer(request.user, stage))
        conflict = reviewer and services.conflict_of_interest(request.user, nomination)
        context = {
            "object": nomination, "can_change": can_change,
            "editable": can_change and nomination.status in EDITABLE,
            "withdrawable": can_change and nomination.status in WITHDRAWABLE,
            "review_form": ReviewForm() if reviewer and not conflict else None, "conflict": conflict,
            "reviews": list(nomination.reviews.select_related("stage", "reviewer")),
            "events": list(nomination.events.select_related("actor", "stage")),
            # For those who decide on it: the nominating organization's and the campaign's managers, the reviewers.
            "facts": selectors.nominee_facts(request.user, nomination, timezone.now())
            if can_change or reviewer else [],
        }
        return render(request, "commendations/nomination_detail.html", context)


class NominationEditView(ObjectEditView):
    model = Nomination
    form_class = NominationEditForm
    update_service = services.nomination_update
    service_object_kwarg = "nomination"

    def get_object(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            raise Http404
        nomination = super().get_object(request, pk)
        if nomination.status not in EDITABLE:  # frozen at submission; the service refuses too
            raise PermissionDenied
        return nomination


class NominationStepView(StepView):
    model = Nomination

    def step_submit(self, request: HttpRequest, nomination: Nomination) -> None:
        run_step(request, services.nomination_submit, _("Submitted; the reviewers were told."), nomination=nomination)

    def step_review(self, request: HttpRequest, nomination: Nomination) -> None:
        form = ReviewForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.nomination_review, _("Opinion recorded."), nomination=nomination,
                     **form.cleaned_data)

    def step_withdraw(self, request: HttpRequest, nomination: Nomination) -> None:
        form = ReasonForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.nomination_withdraw, _("Withdrawn."), nomination=nomination,
                     **form.cleaned_data)


class ReviewQueueView(LoginRequiredMixin, View):
    """What waits at the stages the user reviews."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = list(selectors.review_queue(request.user)[:200])
        return render(request, "commendations/review_queue.html", {"rows": rows})


# Notices and objections -------------------------------------------------------------------------------------------


class NoticeDetailView(LoginRequiredMixin, View):
    """The public notice (公示): name, gender, organization and post of each name — never ID numbers or phones —
    and, while it runs, the objection form."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, get_object_or_404_scoped(Notice, request.user, pk=pk), ObjectionForm())

    def render_page(self, request: HttpRequest, notice: Notice, form: Any) -> HttpResponse:
        running = services.notice_running(notice, timezone.localdate())
        return render(request, "commendations/notice_detail.html", {
            "object": notice, "rows": selectors.notice_rows(notice), "running": running,
            "form": form if running else None})


NOTICE_EXPORT = (
    ExportColumn(gettext_lazy("Category"), lambda r: r.nomination.category.name),
    ExportColumn(gettext_lazy("Name"), lambda r: r.name),
    ExportColumn(gettext_lazy("Gender"), lambda r: r.gender),
    ExportColumn(gettext_lazy("Organization"), lambda r: r.organization),
    ExportColumn(gettext_lazy("Post"), lambda r: r.post),
)


class NoticeExportView(LoginRequiredMixin, View):
    """The notice's list as Excel (the same columns as the page: no ID numbers or phones); a POST, audited."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404_scoped(Notice, request.user, pk=pk)
        content = build_xlsx(str(Notice._meta.verbose_name), NOTICE_EXPORT, selectors.notice_rows(notice))
        audit.record(actor=request.user, action=AuditAction.EXPORT, instance=notice, changes={"document": "xlsx"})
        return xlsx_response(f"notice-{notice.pk}.xlsx", content)


class NoticeStepView(StepView):
    model = Notice

    def step_object(self, request: HttpRequest, notice: Notice) -> None:
        form = ObjectionForm(request.POST)
        if self.valid(request, form):
            data = dict(form.cleaned_data)
            nomination = notice.nominations.filter(pk=data.pop("nomination")).first()
            if nomination is None:
                messages.error(request, _("Choose a name on this notice."))
                return
            run_step(request, services.objection_file, _("Your objection is filed; you will be answered."),
                     notice=notice, nomination=nomination, **data)


class ObjectionListView(ObjectListView):
    model = Objection
    filterset = ObjectionFilterSet
    table = ObjectionTable
    export_columns = (
        ExportColumn(gettext_lazy("Objection to"), lambda o: o.nomination.nominee_name),
        ExportColumn(gettext_lazy("Objector"), lambda o: o.objector_name),
        ExportColumn(gettext_lazy("Unit"), lambda o: o.objector_unit),
        ExportColumn(gettext_lazy("Phone"), lambda o: o.objector_phone_masked),
        ExportColumn(gettext_lazy("Filed at"), lambda o: timezone.localtime(o.filed_at).replace(tzinfo=None)),
        ExportColumn(gettext_lazy("Finding"), lambda o: o.get_finding_display()),
        ExportColumn(gettext_lazy("Reply"), lambda o: o.reply),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.objection_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return False  # filed from the notice page


class ObjectionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        objection = get_object_or_404(selectors.objection_list(request.user), pk=pk)
        can_change = can(request.user, Action.CHANGE, objection)
        return render(request, "commendations/objection_detail.html", {
            "object": objection, "can_change": can_change,
            "form": HandleForm() if can_change and not objection.finding else None})


class ObjectionStepView(StepView):
    model = Objection

    def step_handle(self, request: HttpRequest, objection: Objection) -> None:
        form = HandleForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.objection_handle, _("Finding recorded."), objection=objection,
                     **form.cleaned_data)


# Honours ----------------------------------------------------------------------------------------------------------


class HonourListView(ObjectListView):
    model = Honour
    filterset = HonourFilterSet
    table = HonourTable
    export_columns = (
        ExportColumn(gettext_lazy("Year"), lambda h: h.year),
        ExportColumn(gettext_lazy("Honour"), lambda h: h.category_name),
        ExportColumn(gettext_lazy("Honoured"), lambda h: str(h.person or h.organization)),
        ExportColumn(gettext_lazy("Decision"), lambda h: h.decision.number if h.decision else ""),
        ExportColumn(gettext_lazy("Revoked"), lambda h: h.revoke_reason if h.revoked_at else ""),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.honour_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return False  # conferred by a decision


class HonourArchiveView(LoginRequiredMixin, View):
    """The yearly archive: honours by year and honour, by the holder's sector, with the two-new share."""

    def get(self, request: HttpRequest) -> HttpResponse:
        archive = selectors.honour_archive(request.user)
        sectors = selectors.archive_sectors(archive)
        years = [(year, [(row, row.cells([value for value, _label in sectors])) for row in rows])
                 for year, rows in archive]
        return render(request, "commendations/honour_archive.html", {"years": years, "sectors": sectors})


class HonourDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        honour = get_object_or_404(selectors.honour_list(request.user), pk=pk)
        can_change = can(request.user, Action.CHANGE, honour)
        return render(request, "commendations/honour_detail.html", {
            "object": honour, "can_change": can_change,
            "revoke_form": ReasonForm() if can_change and honour.revoked_at is None else None})


class HonourStepView(StepView):
    model = Honour

    def step_revoke(self, request: HttpRequest, honour: Honour) -> None:
        form = ReasonForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.honour_revoke, _("The honour is revoked."), honour=honour,
                     **form.cleaned_data)



# Papers (PDF) -----------------------------------------------------------------------------------------------------


def _pdf(request: HttpRequest, instance: Any, build: Any, filename: str, document: str) -> HttpResponse:
    """A paper as PDF for whoever may see its record; Chinese unless ``?lang=``; the download is audited."""
    lang = request.GET.get("lang") or "zh-hans"
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    try:
        content = build(lang)
    except documents.FontMissing as exc:
        message = _("The PDF font %(path)s is not installed on the server; install the Debian package "
                    "fonts-noto-cjk (the setup does this) or set PDF_FONT_REGULAR and PDF_FONT_BOLD.") % {
            "path": exc.path}
        return render(request, "commendations/document_unavailable.html", {"message": message, "object": instance},
                      status=503)
    audit.record(actor=request.user, action=AuditAction.EXPORT, instance=instance,
                 changes={"document": document, "lang": lang})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class DecisionDocumentView(LoginRequiredMixin, View):
    """The decision (表彰决定) with its final list."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404_scoped(Campaign, request.user, pk=pk)
        decision = getattr(campaign, "decision", None)
        if decision is None:
            raise Http404
        return _pdf(request, campaign, lambda lang: documents.decision_pdf(decision, lang),
                    f"decision-{campaign.pk}.pdf", "decision")


class NoticeDocumentView(LoginRequiredMixin, View):
    """The public notice for notice boards."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404_scoped(Notice, request.user, pk=pk)
        return _pdf(request, notice, lambda lang: documents.notice_pdf(notice, lang), f"notice-{notice.pk}.pdf",
                    "notice")


class CertificateView(LoginRequiredMixin, View):
    """An honour's certificate, for whoever sees the honour."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        honour = get_object_or_404(selectors.honour_list(request.user), pk=pk, revoked_at=None)  # not once revoked
        return _pdf(request, honour, lambda lang: documents.certificate_pdf(honour, lang),
                    f"certificate-{honour.pk}.pdf", "certificate")
