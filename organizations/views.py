from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.exporting import ExportColumn
from core.permissions import Action, can, get_object_or_404_scoped
from core.tree import ancestor_paths
from core.views import ImportView, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from . import selectors, services
from .filters import OrganizationFilterSet, PersonFilterSet, RegionFilterSet, UnitFilterSet
from .forms import OrganizationForm, PersonForm, UnitForm
from .importers import IMPORTERS
from .models import Organization, Person, Region, Unit
from .tables import OrganizationTable, PersonTable, RegionTable, UnitTable

# Regions ---------------------------------------------------------------------------------------------------


class RegionListView(ObjectListView):
    model = Region
    filterset = RegionFilterSet
    table = RegionTable


class RegionDetailView(ObjectDetailView):
    model = Region
    template_name = "organizations/region_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {"children": instance.children.all(), "ancestors": instance.ancestors()}


# Units -----------------------------------------------------------------------------------------------------


class UnitListView(ObjectListView):
    model = Unit
    filterset = UnitFilterSet
    table = UnitTable
    import_kind = "units"
    export_columns = (
        ExportColumn(_("name"), lambda u: u.name),
        ExportColumn(_("kind"), lambda u: u.get_kind_display()),
        ExportColumn(_("unified social credit code"), lambda u: u.credit_code),
        ExportColumn(_("industry"), lambda u: u.industry),
        ExportColumn(_("employees"), lambda u: u.employee_count),
        ExportColumn(_("region"), lambda u: u.region.name),
        ExportColumn(_("address"), lambda u: u.address),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.unit_list(request.user)


class UnitDetailView(ObjectDetailView):
    model = Unit
    template_name = "organizations/unit_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {"organizations": selectors.organization_list(request.user).filter(unit=instance)}


class UnitEditView(ObjectEditView):
    model = Unit
    form_class = UnitForm
    create_service = services.unit_create
    update_service = services.unit_update
    service_object_kwarg = "unit"


class UnitDeleteView(ObjectDeleteView):
    model = Unit
    delete_service = services.unit_delete
    service_object_kwarg = "unit"
    success_url = "organizations:unit_list"


# Organizations ---------------------------------------------------------------------------------------------------


class OrganizationListView(ObjectListView):
    model = Organization
    filterset = OrganizationFilterSet
    table = OrganizationTable
    import_kind = "organizations"
    export_columns = (
        ExportColumn(_("name"), lambda o: o.name),
        ExportColumn(_("organization code"), lambda o: o.code),
        ExportColumn(_("type"), lambda o: o.get_type_display()),
        ExportColumn(_("parent"), lambda o: o.parent.name if o.parent and o.parent_visible else ""),
        ExportColumn(_("region"), lambda o: o.region.name),
        ExportColumn(_("sector"), lambda o: o.get_sector_display()),
        ExportColumn(_("members"), lambda o: o.member_count),
        ExportColumn(_("contact person"), lambda o: o.contact_name),
        ExportColumn(_("contact phone"), lambda o: o.contact_phone_masked),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        # A parent outside the user's scope (a secretary's own committee) is not named in lists or exports.
        visible_parent = Organization.objects.restrict(request.user).filter(pk=OuterRef("parent_id"))
        # The list and its export show the stored masked phone: the ciphertext is not read, nothing is decrypted.
        return (selectors.organization_list(request.user).select_related("parent").defer("contact_phone")
                .annotate(parent_visible=Exists(visible_parent)))


class OrganizationTreeView(LoginRequiredMixin, View):
    """The tree, one level at a time: the page shows the user's top nodes; htmx loads children on demand."""

    def get(self, request: HttpRequest) -> HttpResponse:
        parent_id = request.GET.get("parent")
        if parent_id:
            parent = get_object_or_404_scoped(Organization, request.user, pk=parent_id)
            nodes = selectors.organization_children(request.user, parent)
            return render(request, "organizations/_tree_nodes.html", {"nodes": nodes})
        return render(
            request, "organizations/organization_tree.html", {"nodes": selectors.organization_roots(request.user)}
        )


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    template_name = "organizations/organization_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        user = request.user
        return {
            # Only the ancestors the user may see (a secretary's breadcrumb starts at their own organization).
            "ancestors": selectors.organization_list(user).filter(path__in=ancestor_paths(instance.path)),
            "children": selectors.organization_children(user, instance),
            "people": selectors.person_list(user).filter(organization=instance)[:50],
            "summary": selectors.organization_summary(user, instance),
        }


class OrganizationEditView(ObjectEditView):
    model = Organization
    form_class = OrganizationForm
    create_service = services.organization_create
    update_service = services.organization_update
    service_object_kwarg = "organization"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        parent_id = request.GET.get("parent")
        if not parent_id:
            return {}
        parent = get_object_or_404_scoped(Organization, request.user, pk=parent_id)
        return {"parent": parent, "region": parent.region_id}


class OrganizationDeleteView(ObjectDeleteView):
    model = Organization
    delete_service = services.organization_delete
    service_object_kwarg = "organization"
    success_url = "organizations:organization_list"


# People ---------------------------------------------------------------------------------------------------------


class PersonListView(ObjectListView):
    model = Person
    filterset = PersonFilterSet
    table = PersonTable
    import_kind = "members"
    export_columns = (
        ExportColumn(_("name"), lambda p: p.name),
        ExportColumn(_("kind"), lambda p: p.get_kind_display()),
        ExportColumn(_("gender"), lambda p: p.get_gender_display()),
        ExportColumn(_("ID number"), lambda p: p.id_number_masked),
        ExportColumn(_("phone"), lambda p: p.phone_masked),
        ExportColumn(_("organization"), lambda p: p.organization.name if p.organization else ""),
        ExportColumn(_("membership"), lambda p: p.get_member_status_display()),
        ExportColumn(_("joined the party on"), lambda p: p.joined_party_on),
        ExportColumn(_("job title"), lambda p: p.title),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        # The list and its export show the stored masked numbers: the ciphertexts are not read or decrypted.
        return selectors.person_list(request.user).defer("id_number", "phone")


class PersonDetailView(ObjectDetailView):
    model = Person
    template_name = "organizations/person_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {
            "can_reveal": can(request.user, Action.REVEAL, instance),
            "positions": instance.positions.filter(organization__in=Organization.objects.restrict(request.user))
            .select_related("organization"),
        }


class PersonRevealView(LoginRequiredMixin, View):
    """POST only (never a link, so it cannot be prefetched or logged as a URL); audited by the service."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404_scoped(Person, request.user, pk=pk)
        if not can(request.user, Action.REVEAL, person):
            raise PermissionDenied
        values = services.person_reveal(actor=request.user, person=person)
        response = render(request, "organizations/_person_sensitive.html", {"object": person, "values": values})
        patch_cache_control(response, no_store=True, private=True)
        return response


class PersonEditView(ObjectEditView):
    model = Person
    form_class = PersonForm
    create_service = services.person_create
    update_service = services.person_update
    service_object_kwarg = "person"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        org_id = request.GET.get("organization")
        return {"organization": org_id} if org_id else {}


class PersonDeleteView(ObjectDeleteView):
    model = Person
    delete_service = services.person_delete
    service_object_kwarg = "person"
    success_url = "organizations:person_list"


class OrganizationsImportView(ImportView):
    importers = IMPORTERS
