from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from activities import selectors as activity_selectors
from core import audit
from core.exporting import ExportColumn
from core.models import AuditAction
from core.permissions import Action, can, get_object_or_404_scoped, runs_regions
from core.views import (
    ImportView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_form_errors,
    form_messages,
    run_step,
)

from . import documents, selectors, services
from .choices import REVIEWABLE_STATUSES
from .filters import PairFilterSet, PairingProgrammeFilterSet
from .forms import PairForm, ProgrammeForm, ReasonForm, RenewForm, ReviewForm
from .importers import PairImporter
from .models import Pair, PairingProgramme
from .tables import PairingProgrammeTable, PairTable


class ProgrammeListView(ObjectListView):
    model = PairingProgramme
    filterset = PairingProgrammeFilterSet
    table = PairingProgrammeTable

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.programme_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return runs_regions(request.user)


class ProgrammeDetailView(ObjectDetailView):
    model = PairingProgramme
    template_name = "pairing/programme_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        pairs = list(selectors.pair_list(request.user).filter(programme=instance))
        if not can(request.user, Action.CHANGE, instance):  # loads and the unpaired are the organizers' view
            return {"pairs": pairs}
        loads = selectors.organ_loads(instance)
        organs: dict[int, dict[str, Any]] = {}
        for pair in pairs:
            organs.setdefault(pair.organ_id, {"organ": pair.organ, "load": loads.get(pair.organ_id, 0)})
        return {
            "pairs": pairs,
            "organ_loads": sorted(organs.values(), key=lambda row: row["organ"].path),
            "unpaired_count": selectors.unpaired_partners(instance, request.user).count(),
        }


class ProgrammeEditView(ObjectEditView):
    model = PairingProgramme
    form_class = ProgrammeForm
    create_service = services.programme_create
    update_service = services.programme_update
    service_object_kwarg = "programme"

    def may_create(self, user: Any) -> bool:
        return runs_regions(user)  # organization departments run pairing programmes


class ProgrammeDeleteView(ObjectDeleteView):
    model = PairingProgramme
    delete_service = services.programme_delete
    service_object_kwarg = "programme"
    success_url = "pairing:programme_list"


PAIR_EXPORT = (
    ExportColumn(gettext_lazy("Programme"), lambda p: p.programme.name),
    ExportColumn(gettext_lazy("Organ organization"), lambda p: p.organ.name),
    ExportColumn(gettext_lazy("Partner organizations"), lambda p: "、".join(o.name for o in p.partners.all())),
    ExportColumn(gettext_lazy("Status"), lambda p: p.get_status_display()),
    ExportColumn(gettext_lazy("Starts on"), lambda p: p.starts_on),
    ExportColumn(gettext_lazy("Ends on"), lambda p: p.ends_on),
    ExportColumn(gettext_lazy("Signed on"), lambda p: p.signed_on),
    ExportColumn(gettext_lazy("Joint activities per quarter"), lambda p: p.target_activities_per_quarter),
    ExportColumn(gettext_lazy("Goals"), lambda p: p.goals),
    ExportColumn(gettext_lazy("Teams trained together"), lambda p: p.teams_content),
    ExportColumn(gettext_lazy("Activities held together"), lambda p: p.activities_content),
    ExportColumn(gettext_lazy("Appeals settled together"), lambda p: p.appeals_content),
)


class PairListView(ObjectListView):
    model = Pair
    filterset = PairFilterSet
    table = PairTable
    export_columns = PAIR_EXPORT

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.pair_list(request.user)


class PairDetailView(ObjectDetailView):
    model = Pair
    template_name = "pairing/pair_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        can_manage = can(request.user, Action.CHANGE, instance)
        return {
            "can_manage": can_manage,
            "partners": instance.partners.select_related("region").order_by("path"),
            "reviews": instance.reviews.select_related("reviewed_by"),
            # One activity record, linked to the pair, counts here (activities module).
            "progress": selectors.pair_progress(instance, activity_selectors.pair_activity_dates(instance)),
            "activities": activity_selectors.pair_activities(request.user, instance).order_by("-starts_at")[:20],
            # Either side's secretary records joint activities (they lead them), not only the programme's managers.
            "can_record": can(request.user, Action.CHANGE, instance.organ) or any(
                can(request.user, Action.CHANGE, p) for p in instance.partners.all()),
            "steps": [step for step, (allowed, _target) in services.TRANSITIONS.items()
                      if instance.status in allowed] if can_manage else [],
            "can_review": can_manage and instance.status in REVIEWABLE_STATUSES,
            "review_form": ReviewForm(),
            "renew_form": RenewForm(),
        }


class PairEditView(ObjectEditView):
    """Propose a pair in a programme (``programme`` in the URL) or change a pair's agreement (``pk``)."""

    model = Pair
    form_class = PairForm
    template_name = "core/object_edit.html"

    def _programme(self, request: HttpRequest, pk: int | None, programme: int | None) -> PairingProgramme:
        if programme is not None:
            found = get_object_or_404_scoped(PairingProgramme, request.user, pk=programme)
        else:
            found = get_object_or_404_scoped(Pair, request.user, pk=pk).programme
        if not can(request.user, Action.CHANGE, found):
            raise PermissionDenied
        return found

    def get(self, request: HttpRequest, pk: int | None = None, programme: int | None = None) -> HttpResponse:
        prog = self._programme(request, pk, programme)
        instance = self.get_object(request, pk) if pk else Pair(programme=prog)
        initial = {"organ": request.GET.get("organ"), "partners": request.GET.getlist("partner")} if not pk else {}
        form = PairForm(instance=instance, user=request.user, programme=prog, initial=initial)
        return self.render_form(request, form, instance)

    def post(self, request: HttpRequest, pk: int | None = None, programme: int | None = None) -> HttpResponse:
        prog = self._programme(request, pk, programme)
        instance = self.get_object(request, pk) if pk else Pair(programme=prog)
        form_instance = self.get_object(request, pk) if pk else Pair(programme=prog)
        form = PairForm(request.POST, instance=form_instance, user=request.user, programme=prog)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in services.PAIR_FIELDS and v is not None}
            try:
                if pk:
                    pair = services.pair_update(actor=request.user, pair=instance, data=data,
                                                partners=form.cleaned_data["partners"])
                else:
                    pair = services.pair_create(actor=request.user, programme=prog, organ=form.cleaned_data["organ"],
                                                partners=form.cleaned_data["partners"], data=data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": pair})
                return HttpResponseRedirect(pair.get_absolute_url())
        return self.render_form(request, form, instance)


class PairStepView(LoginRequiredMixin, View):
    """POST one workflow step on a pair; the service checks who may take it and from which status."""

    STEPS: dict[str, tuple[Any, type[Any] | None]] = {
        "activate": (services.pair_activate, None),
        "review": (services.pair_start_review, None),
        "renew": (services.pair_renew, RenewForm),
        "end": (services.pair_end, ReasonForm),
        "record-review": (services.review_record, ReviewForm),
    }

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        pair = get_object_or_404_scoped(Pair, request.user, pk=pk)
        if step not in self.STEPS:
            raise Http404
        call, form_class = self.STEPS[step]
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            for message in form_messages(form):
                messages.error(request, message)
        else:
            run_step(request, call, _("Done: %(pair)s.") % {"pair": pair}, pair=pair,
                     **(form.cleaned_data if form is not None else {}))
        return HttpResponseRedirect(pair.get_absolute_url())


class PairDocumentView(LoginRequiredMixin, View):
    """The plaque certificate or the agreement as PDF, for anyone who may see the pair (the download is audited)."""

    KINDS = {"plaque": documents.plaque_pdf, "agreement": documents.agreement_pdf}

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        if kind not in self.KINDS:
            raise Http404
        pair = get_object_or_404_scoped(Pair, request.user, pk=pk)
        lang = request.GET.get("lang") or "zh-hans"
        if lang not in dict(settings.LANGUAGES):
            raise Http404
        try:
            content = self.KINDS[kind](pair, lang)
        except documents.FontMissing as exc:
            message = _("The PDF font %(path)s is not installed on the server; install the Debian package "
                        "fonts-noto-cjk (the setup does this) or set PDF_FONT_REGULAR and PDF_FONT_BOLD.") % {
                "path": exc.path}
            return render(request, "pairing/document_unavailable.html", {"message": message, "object": pair},
                          status=503)
        audit.record(actor=request.user, action=AuditAction.EXPORT, instance=pair, changes={"document": kind,
                                                                                            "lang": lang})
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="pair-{documents.document_number(pair)}-{kind}.pdf"'
        return response


class SuggestionsView(LoginRequiredMixin, View):
    """Unpaired enterprise and social organizations of the programme's area, each with suggested organs."""

    per_page = 20

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = get_object_or_404_scoped(PairingProgramme, request.user, pk=pk)
        if not can(request.user, Action.CHANGE, programme):
            raise PermissionDenied
        page = Paginator(selectors.unpaired_partners(programme, request.user), self.per_page).get_page(
            request.GET.get("page"))
        rows = selectors.pairing_suggestions(programme, request.user, page.object_list)
        return render(request, "pairing/suggestions.html", {"object": programme, "rows": rows, "page": page})


class PairImportView(ImportView):
    """The pairing list of one programme, from Excel."""

    def get_importer(self, request: HttpRequest, kind: str) -> PairImporter:
        programme = get_object_or_404_scoped(PairingProgramme, request.user, pk=int(kind))
        if not can(request.user, Action.CHANGE, programme):
            raise PermissionDenied
        self.programme = programme
        return PairImporter(actor=request.user, programme=programme)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        return super().get(request, str(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        return super().post(request, str(pk))
