"""An agency's contact people, service agreements (with the interface document) and add-on agreements."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from .. import selectors, services
from ..forms import AddonAgreementForm, AddonHoursForm, ContactForm, ServiceAgreementForm
from .common import edit_page


def _agency_page(agency_id: int, anchor: str = "") -> str:
    return reverse("customers:agency_detail", args=[agency_id]) + anchor


# --- contacts --------------------------------------------------------------------------------


@permission_required("customers.add_agencycontact", raise_exception=True)
def contact_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = ContactForm(request.POST or None, initial={"is_primary": not agency.contacts.exists()})
    return edit_page(
        request,
        form,
        save=lambda data: services.save_contact(agency=agency, **data),
        success=_("The contact person was added."),
        next_url=_agency_page(agency.pk, "#contacts"),
        title=_("New contact person for %(agency)s") % {"agency": agency.name},
        cancel_url=_agency_page(agency.pk),
        agency=agency,
    )


@permission_required("customers.change_agencycontact", raise_exception=True)
def contact_edit(request, pk):
    contact = selectors.contact_for(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    return edit_page(
        request,
        form,
        save=lambda data: services.save_contact(agency=contact.agency, contact=contact, **data),
        success=_("The changes were saved."),
        next_url=_agency_page(contact.agency_id, "#contacts"),
        title=_("Edit contact person"),
        cancel_url=_agency_page(contact.agency_id),
        agency=contact.agency,
    )


@permission_required("customers.delete_agencycontact", raise_exception=True)
def contact_delete(request, pk):
    contact = selectors.contact_for(request.user, pk)
    if request.method == "POST":
        services.delete_contact(contact=contact)
        messages.success(request, _("%(name)s was removed from the contact people.") % {"name": contact.name})
        return redirect(reverse("customers:agency_detail", args=[contact.agency_id]) + "#contacts")
    return render(
        request,
        "customers/confirm.html",
        {
            "title": _("Remove contact person"),
            "question": _("Remove %(name)s from the contact people of %(agency)s?")
            % {"name": contact.name, "agency": contact.agency.name},
            "submit_label": _("Remove"),
            "cancel_url": reverse("customers:agency_detail", args=[contact.agency_id]),
            "agency": contact.agency,
        },
    )


# --- service agreements ----------------------------------------------------------------------


@permission_required("customers.add_serviceagreement", raise_exception=True)
def agreement_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = ServiceAgreementForm(request.POST or None, request.FILES or None, agency=agency)
    return edit_page(
        request,
        form,
        save=lambda data: services.save_service_agreement(agency=agency, **form.service_kwargs()),
        success=_("The service agreement was saved."),
        next_url=_agency_page(agency.pk, "#agreements"),
        title=_("New service agreement for %(agency)s") % {"agency": agency.name},
        cancel_url=_agency_page(agency.pk),
        multipart=True,
        agency=agency,
    )


@permission_required("customers.change_serviceagreement", raise_exception=True)
def agreement_edit(request, pk):
    agreement = selectors.agreement_for(request.user, pk)
    agency = agreement.agency
    form = ServiceAgreementForm(request.POST or None, request.FILES or None, instance=agreement, agency=agency)
    return edit_page(
        request,
        form,
        save=lambda data: services.save_service_agreement(agency=agency, agreement=agreement, **form.service_kwargs()),
        success=_("The service agreement was saved."),
        next_url=_agency_page(agency.pk, "#agreements"),
        title=_("Service agreement %(year)s for %(agency)s") % {"year": agreement.year, "agency": agency.name},
        cancel_url=_agency_page(agency.pk),
        multipart=True,
        agency=agency,
    )


@permission_required("customers.view_serviceagreement", raise_exception=True)
def agreement_document(request, pk):
    """The interface document, only to those who may see the agency (never straight from /media)."""
    agreement = selectors.agreement_for(request.user, pk)
    if not agreement.interface_document:
        raise Http404(_("This agreement has no interface document."))
    try:
        handle = agreement.interface_document.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=agreement.download_name)


# --- add-on agreements and hours -------------------------------------------------------------


@permission_required("customers.add_addonagreement", raise_exception=True)
def addon_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = AddonAgreementForm(
        request.POST or None, initial={"item_code": "addon_hour", "valid_from": timezone.localdate()}
    )
    return edit_page(
        request,
        form,
        save=lambda data: services.save_addon_agreement(agency=agency, **data),
        success=_("The add-on agreement was saved."),
        next_url=lambda addon: reverse("customers:addon_detail", args=[addon.pk]),
        title=_("New add-on agreement for %(agency)s") % {"agency": agency.name},
        cancel_url=_agency_page(agency.pk),
        agency=agency,
    )


@permission_required("customers.change_addonagreement", raise_exception=True)
def addon_edit(request, pk):
    addon = selectors.addon_agreement_for(request.user, pk)
    form = AddonAgreementForm(request.POST or None, instance=addon)
    return edit_page(
        request,
        form,
        save=lambda data: services.save_addon_agreement(agency=addon.agency, agreement=addon, **data),
        success=_("The changes were saved."),
        next_url=reverse("customers:addon_detail", args=[addon.pk]),
        title=_("Edit add-on agreement"),
        cancel_url=reverse("customers:addon_detail", args=[addon.pk]),
        agency=addon.agency,
    )


@permission_required("customers.view_addonagreement", raise_exception=True)
def addon_detail(request, pk):
    addon = selectors.addon_agreement_for(request.user, pk)
    form = AddonHoursForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("customers.add_addonhours"):
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = services.register_addon_hours(agreement=addon, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                text = _("%(hours)s h registered for %(period)s.") % {"hours": entry.hours, "period": entry.period}
                if entry.billing_period != entry.period:
                    text += " " + _(
                        "%(period)s has already been invoiced, so the hours are invoiced in %(billing)s."
                    ) % {"period": entry.period, "billing": entry.billing_period}
                messages.success(request, text)
                return redirect("customers:addon_detail", pk=addon.pk)
    hours = list(addon.hours.select_related("registered_by").order_by("-period", "-id"))
    for entry in hours:
        entry.removable = services.hours_can_be_removed(entry)
    return render(
        request,
        "customers/addon_detail.html",
        {
            "addon": addon,
            "agency": addon.agency,
            "hours": hours,
            "total_hours": sum((h.hours for h in hours), start=0),
            "by_period": addon.hours.values("billing_period").annotate(total=Sum("hours")).order_by("-billing_period"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("customers.delete_addonhours", raise_exception=True)
def addon_hours_delete(request, pk):
    entry = selectors.addon_hours_for(request.user, pk)
    try:
        services.remove_addon_hours(entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hours were removed."))
    return redirect("customers:addon_detail", pk=entry.agreement_id)
