"""What the agencies' portal reads: everything through ``contact_agencies``, so that a contact sees
their own agencies' figures, invoices and returned cases and no other agency's."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from core.periods import current_period
from customers.models import (
    Agency,
    CentreForm,
    CentreFormVersion,
    Complaint,
    CustomerMessage,
    ServiceAgreement,
)
from customers.selectors import contact_agencies
from invoicing.models import Invoice
from payroll.models import CaseReturn, Channel, PayrollCase


def agencies(user) -> QuerySet[Agency]:
    return contact_agencies(user).order_by("code")


def agency(user, pk) -> Agency:
    return get_object_or_404(agencies(user), pk=pk)


def invoices(user) -> QuerySet[Invoice]:
    """Issued invoices and credit notes of the contact's agencies, newest first."""
    return (
        Invoice.objects.filter(agency__in=contact_agencies(user))
        .select_related("agency", "credited_invoice")
        .order_by("-period", "-issued_at", "-id")
    )


def invoice(user, pk) -> Invoice:
    return get_object_or_404(invoices(user), pk=pk)


def returns(user) -> QuerySet[CaseReturn]:
    """Returned documents of the contact's agencies: those still waiting first, then the answered."""
    return (
        CaseReturn.objects.filter(case__agency__in=contact_agencies(user))
        .select_related("case__agency", "case__person")
        .order_by("-returned_on", "-id")
    )


def case_return(user, pk) -> CaseReturn:
    return get_object_or_404(returns(user).select_related("returned_by"), pk=pk)


@dataclass
class ChannelVolume:
    channel: str
    label: str
    cases: int


def month_volumes(*, agency: Agency, period: str | None = None) -> list[ChannelVolume]:
    """This month's running volumes of ``agency``: its payroll cases by channel (every channel, zeros too)."""
    period = period or current_period()
    counts = dict(
        PayrollCase.objects.filter(agency=agency, period=period)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return [ChannelVolume(value, str(label), counts.get(value, 0)) for value, label in Channel.choices]


def feedback(user) -> QuerySet[Complaint]:
    """The feedback, complaints and disputes ``user`` sent from the portal, for their own agencies."""
    return (
        Complaint.objects.filter(sender_id=user.pk, agency__in=contact_agencies(user))
        .select_related("agency")
        .order_by("-received_on", "-id")
    )


def customer_messages(user) -> QuerySet[CustomerMessage]:
    """Customer messages sent to any of the contact's agencies, newest first."""
    return (
        CustomerMessage.objects.filter(agencies__in=contact_agencies(user))
        .distinct()
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def agreement(user, pk) -> ServiceAgreement:
    return get_object_or_404(ServiceAgreement.objects.filter(agency__in=contact_agencies(user)), pk=pk)


def agreement_in_force(agency: Agency, day) -> ServiceAgreement | None:
    """The agency's service agreement valid on ``day``, else its latest."""
    agreements = agency.agreements.order_by("-year")
    return agreements.filter(valid_from__lte=day, valid_to__gte=day).first() or agreements.first()


def centre_forms() -> list[tuple[CentreForm, CentreFormVersion]]:
    """Every form that has a version, with its latest version."""
    forms = CentreForm.objects.filter(versions__isnull=False).distinct().prefetch_related("versions").order_by("name")
    return [(form, form.versions.all()[0]) for form in forms]


def current_form_version(pk) -> CentreFormVersion:
    form = get_object_or_404(CentreForm.objects.filter(versions__isnull=False).distinct(), pk=pk)
    return form.versions.order_by("-number").first()
