"""Generic views: every domain list, detail, edit, delete, import and export page is a short subclass.

They hold no business logic: lists and details read through ``restrict`` (scoping), writes call a service.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import IO, Any, cast

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters import FilterSet

from .exporting import (
    XLSX_CONTENT_TYPE,
    ExportColumn,
    build_xlsx,
    export_filename,
    export_job_create,
    record_export,
    xlsx_response,
)
from .filters import AuditEventFilterSet, bound_integers
from .forms import bootstrap
from .importing import Importer, ImportFileError, ImportResult, check_upload, import_job_create, size_error
from .middleware import keep_session_unsaved
from .models import AuditEvent, Job, JobKind, JobStatus
from .paging import CappedCountPaginator, cached_count_key
from .permissions import Action, can, get_object_or_404_scoped, get_scope
from .tables import AuditEventTable


def apply_form_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form (field errors where it names fields)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_messages(form: BaseForm) -> list[str]:
    """Every error of a small inline form (a reason, a date), for showing as messages."""
    return [str(e) for errors in form.errors.values() for e in errors]


def run_step(request: HttpRequest, call: Callable[..., Any], success: str, **kwargs: Any) -> bool:
    """Run one service step for the user and report the outcome as a message (refusals in the user's words)."""
    try:
        call(actor=request.user, **kwargs)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not change this record."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
        return True
    return False


class StepView(LoginRequiredMixin, View):
    """POST one step on an object the user sees: ``/<pk>/do/<step>/`` runs ``step_<step>(request, obj)``, whose
    service decides who may take it (and from which status); then back to the object's page."""

    model: type[models.Model]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        instance: Any = get_object_or_404_scoped(self.model, request.user, pk=pk)
        handler = getattr(self, "step_" + step.replace("-", "_"), None)
        if handler is None:
            raise Http404
        handler(request, instance)
        return HttpResponseRedirect(instance.get_absolute_url() + self.anchor(request))

    def anchor(self, request: HttpRequest) -> str:
        return ""

    def valid(self, request: HttpRequest, form: BaseForm) -> bool:
        """Whether the small form is valid; if not, its errors become messages."""
        if form.is_valid():
            return True
        for message in form_messages(form):
            messages.error(request, message)
        return False


# Query parameters of a list page that change neither which rows it holds nor how many (django-tables2's).
TABLE_PARAMS = frozenset({"page", "per_page", "sort"})


class ObjectListView(LoginRequiredMixin, View):
    model: type[models.Model]
    filterset: type[FilterSet]
    table: type[tables.Table]
    template_name = "core/object_list.html"
    export_columns: Sequence[ExportColumn] = ()
    import_kind: str = ""
    per_page = 50

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return self.model._default_manager.restrict(request.user)  # type: ignore[attr-defined]

    def filter(self, request: HttpRequest) -> tuple[FilterSet, models.QuerySet[Any], bool]:
        """The filterset, the filtered scoped queryset, and whether the filters were valid (if not, the queryset is
        the unfiltered scope: fine for a page that says so, never for an export)."""
        filterset = bound_integers(self.filterset(request.GET or None, queryset=self.get_queryset(request),
                                                  request=request))
        filters_valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs if filterset.is_bound and filters_valid else filterset.queryset
        return filterset, queryset, filters_valid

    def filtered_queryset(self, request: HttpRequest) -> tuple[models.QuerySet[Any], bool]:
        """What an export of this request contains (also rebuilt by a background export job for its owner)."""
        _filterset, queryset, valid = self.filter(request)
        return queryset, valid

    def post(self, request: HttpRequest) -> HttpResponse:
        """Export the list as filtered by the query string. A POST (with the CSRF token), not a link: an export
        writes an audit event and may start a background job, which a prefetching browser or a page embedding
        the URL must not do."""
        if request.POST.get("export") != "xlsx" or not self.export_columns:
            return HttpResponseNotAllowed(["GET"])
        _filterset, queryset, filters_valid = self.filter(request)
        if not filters_valid:  # never widen an export to the whole scope because a filter was mistyped
            return HttpResponse(_("Some filters are not valid; correct them before exporting."), status=400,
                                content_type="text/plain; charset=utf-8")
        return self.export(request, queryset)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset, queryset, _filters_valid = self.filter(request)
        bootstrap(filterset.form)
        table = self.table(queryset, empty_text=_("Nothing here yet, or nothing matches the filters."))
        paginator: Any = CappedCountPaginator
        if set(request.GET) <= TABLE_PARAMS:  # unfiltered: the count may be kept between pages
            key = cached_count_key(request.user, f"web:{request.path}", self.model)
            paginator = functools.partial(CappedCountPaginator, cache_key=key)
        tables.RequestConfig(request, paginate={"per_page": self.per_page,
                                                "paginator_class": paginator}).configure(table)
        meta = self.model._meta
        context = {
            "title": meta.verbose_name_plural,
            "model_name": meta.model_name,
            "table": table,
            "filterset": filterset,
            "can_add": self.can_add(request),
            "add_url": self.add_url(),
            "can_export": bool(self.export_columns),
            "import_url": self.import_url(),
        }
        template = "core/_table.html" if request.htmx else self.template_name  # type: ignore[attr-defined]
        return render(request, template, context)

    def can_add(self, request: HttpRequest) -> bool:
        return get_scope(request.user, Action.CHANGE).reaches_tree

    def import_url(self) -> str:
        """Where the "Import from Excel" button leads (empty: no import for this list): the ``import`` route of the
        list's own app."""
        return reverse(f"{self.model._meta.app_label}:import", args=[self.import_kind]) if self.import_kind else ""

    def add_url(self) -> str:
        try:
            return reverse(f"{self.model._meta.app_label}:{self.model._meta.model_name}_add")
        except NoReverseMatch:
            return ""

    def export(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> HttpResponse:
        """Up to ``EXPORT_BACKGROUND_ROWS`` rows at once; more as a background job (to the job's page)."""
        rows = queryset.count()
        if rows > settings.EXPORT_BACKGROUND_ROWS:
            job = export_job_create(owner=request.user, view=self, query=list(request.GET.lists()),
                                    filters=request.GET.dict(), rows=rows)
            return HttpResponseRedirect(job.get_absolute_url(), status=303)
        meta = self.model._meta
        content = build_xlsx(str(meta.verbose_name_plural), self.export_columns, queryset.iterator(chunk_size=2000))
        record_export(request.user, self.model, request.GET.dict())
        return xlsx_response(export_filename(self.model), content)


class ObjectDetailView(LoginRequiredMixin, View):
    model: type[models.Model]
    template_name: str

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = get_object_or_404_scoped(self.model, request.user, pk=pk)
        context = {
            "object": instance,
            "can_change": can(request.user, Action.CHANGE, instance),
            **self.get_extra_context(request, instance),
        }
        return render(request, self.template_name, context)


class ObjectEditView(LoginRequiredMixin, View):
    """Create (no pk) or edit (pk) through a form and a service."""

    model: type[models.Model]
    form_class: type[Any]
    template_name = "core/object_edit.html"
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    service_object_kwarg: str

    def may_create(self, user: Any) -> bool:
        return get_scope(user, Action.CHANGE).reaches_tree

    def get_object(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            if not self.may_create(request.user):
                raise PermissionDenied
            return self.model()
        instance = get_object_or_404_scoped(self.model, request.user, Action.VIEW, pk=pk)
        if not can(request.user, Action.CHANGE, instance):
            raise PermissionDenied
        return instance

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if instance.pk is None:
            return type(self).create_service(actor=request.user, data=data)
        return type(self).update_service(actor=request.user, data=data, **{self.service_object_kwarg: instance})

    def render_form(self, request: HttpRequest, form: Any, instance: Any) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "object": instance, "model_meta": self.model._meta})

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_object(request, pk)
        form = self.form_class(instance=instance, user=request.user, initial=self.initial(request))
        return self.render_form(request, form, instance)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_object(request, pk)
        # A ModelForm writes cleaned values onto its instance while validating; give it its own copy so the
        # service receives the untouched object, sees what changed and audits it.
        form_instance = self.get_object(request, pk) if pk is not None else self.model()
        form = self.form_class(request.POST, instance=form_instance, user=request.user)
        if form.is_valid():
            try:
                obj = self.save(request, form, instance)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": obj})
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render_form(request, form, instance)


class ObjectDeleteView(LoginRequiredMixin, View):
    model: type[models.Model]
    delete_service: Callable[..., Any]
    service_object_kwarg: str
    success_url: str
    template_name = "core/object_delete.html"

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        instance = get_object_or_404_scoped(self.model, request.user, Action.VIEW, pk=pk)
        if not can(request.user, Action.CHANGE, instance):
            raise PermissionDenied
        return instance

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"object": self.get_object(request, pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        try:
            type(self).delete_service(actor=request.user, **{self.service_object_kwarg: instance})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(instance.get_absolute_url())
        messages.success(request, _("Deleted “%(object)s”.") % {"object": instance})
        return HttpResponseRedirect(reverse(self.success_url))


class ImportView(LoginRequiredMixin, View):
    """Upload page, template download and the all-or-nothing report."""

    importers: dict[str, type[Importer]]
    template_name = "core/import.html"

    def get_importer(self, request: HttpRequest, kind: str) -> Importer:
        if kind not in self.importers:
            raise Http404
        if not get_scope(request.user, Action.CHANGE).reaches_tree:
            raise PermissionDenied
        return self.importers[kind](actor=request.user)

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        importer = self.get_importer(request, kind)
        if request.GET.get("template"):
            return xlsx_response(f"lianmeng-{kind}-template.xlsx", importer.template())
        return render(request, self.template_name, {"importer": importer, "kind": kind})

    def post(self, request: HttpRequest, kind: str) -> HttpResponse:
        importer = self.get_importer(request, kind)
        context: dict[str, Any] = {"importer": importer, "kind": kind}
        # Refuse an oversize upload from its declared length, before Django reads the body into a temp file.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024:  # allowance for the multipart envelope
            context["file_error"] = size_error(declared)
            return render(request, self.template_name, context, status=413)
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = _("Choose an Excel file to import.")
        else:
            try:
                if (upload.size or 0) > settings.IMPORT_BACKGROUND_BYTES:
                    # Checked now (cheap, nothing parsed), so a wrong file is refused on this page; then queued.
                    check_upload(cast(IO[bytes], upload), upload.name or "", upload.size or 0)
                    job = import_job_create(owner=request.user, view=self, kind=kind, title=str(importer.title),
                                            upload=upload)
                    return HttpResponseRedirect(job.get_absolute_url(), status=303)
                context["result"] = importer.run(cast(IO[bytes], upload), upload.name or "", upload.size or 0)
            except ImportFileError as exc:
                context["file_error"] = exc.message
                context["file_error_details"] = exc.details
            context["filename"] = upload.name
        status = 200 if context.get("result") and context["result"].ok else 400
        return render(request, self.template_name, context, status=status)


class JobDetailView(LoginRequiredMixin, View):
    """A background job's page: the progress bar (polled with htmx while the job runs), then the import report
    or the export's download. Only the owner sees it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_job_or_404(request, pk)
        context = job_context(job)
        if request.htmx:  # type: ignore[attr-defined]
            keep_session_unsaved(request)  # the progress bar's poll, every 2 s
        template = "core/_job_status.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
        return render(request, template, context)


class JobDownloadView(LoginRequiredMixin, View):
    """The file an export job produced, for its owner."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = get_job_or_404(request, pk)
        if job.kind != JobKind.EXPORT or job.status != JobStatus.SUCCEEDED or not job.file:
            raise Http404
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:  # deleted by the retention sweep
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=XLSX_CONTENT_TYPE)


class JobListView(LoginRequiredMixin, View):
    """The user's recent background jobs."""

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = Job.objects.owned_by(request.user)[:30]
        return render(request, "core/job_list.html", {"jobs": jobs})


def get_job_or_404(request: HttpRequest, pk: int) -> Job:
    try:
        return Job.objects.owned_by(request.user).get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


def job_context(job: Job) -> dict[str, Any]:
    done, total = job.progress()
    context: dict[str, Any] = {"job": job, "done": done, "total": total, "percent": job.percent}
    if job.kind == JobKind.IMPORT and job.is_finished and not job.message:
        context["result"] = ImportResult.from_json(job.result)
    if job.message:
        context["file_error"] = job.message
        context["file_error_details"] = job.result.get("details", [])
        context["filename"] = job.file_name
    return context


class AuditEventListView(ObjectListView):
    model = AuditEvent
    filterset = AuditEventFilterSet
    table = AuditEventTable

    def get(self, request: HttpRequest) -> HttpResponse:
        if not get_scope(request.user, Action.AUDIT).everything:
            raise Http404
        return super().get(request)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
