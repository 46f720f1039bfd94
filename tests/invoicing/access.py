from accounts import roles
from tests.access import Rule, roles_

FINANCE = roles_(roles.FINANCE, roles.ADMINISTRATOR)
SEE_INVOICES = roles_(roles.FINANCE, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
SEE_DRAFTS = roles_(roles.FINANCE, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _invoice(w):
    from tests.factories import issued_invoice

    return {"pk": issued_invoice(unit=w["unit"]).pk}


def _job(w):
    from invoicing.models import CloseJob

    return {"pk": CloseJob.objects.create(period="2012-03", state=CloseJob.State.DONE).pk}


def _held(w):
    from tests.factories import AgencyFactory

    return {**_job(w), "agency_pk": AgencyFactory(unit=w["unit"]).pk}


def _draft(w):
    from tests.factories import AgencyFactory

    return {"period": "2012-03", "agency_pk": AgencyFactory(unit=w["unit"]).pk}


def _dispute(w):
    from invoicing.services.disputes import open_dispute
    from tests.factories import issued_invoice

    invoice = issued_invoice(unit=w["unit"])
    dispute = open_dispute(invoice=invoice, line=invoice.lines.first(), reason="Fel antal", user=None)
    return {"pk": dispute.pk}


RULES = {
    "invoicing:invoice_list": Rule(allowed=SEE_INVOICES),
    "invoicing:invoice_detail": Rule(allowed=SEE_INVOICES, kwargs=_invoice),
    "invoicing:invoice_pdf": Rule(allowed=SEE_INVOICES, kwargs=_invoice),
    "invoicing:invoice_einvoice": Rule(allowed=SEE_INVOICES, kwargs=_invoice),
    "invoicing:invoice_credit": Rule(allowed=FINANCE, kwargs=_invoice),
    # Allowed users get a message that the invoice is still valid (redirect); others 403.
    "invoicing:invoice_reissue": Rule(allowed=FINANCE, kwargs=_invoice, method="post"),
    "invoicing:invoice_zip": Rule(allowed=SEE_INVOICES, kwargs=lambda w: {"period": "2012-03"}),
    "invoicing:invoice_zip_status": Rule(allowed=SEE_INVOICES, kwargs=lambda w: {"period": "2012-03"}),
    "invoicing:erp_file": Rule(allowed=SEE_INVOICES, kwargs=lambda w: {"period": "2012-03"}),
    "invoicing:draft_list": Rule(allowed=SEE_DRAFTS),
    # A unit manager sees the drafts of the own unit's agencies only (tests/security/test_idor.py).
    "invoicing:draft_detail": Rule(allowed=SEE_DRAFTS, kwargs=_draft),
    "invoicing:sie_file": Rule(allowed=SEE_INVOICES, kwargs=lambda w: {"period": "2012-03"}),
    "invoicing:reconciliation": Rule(allowed=SEE_INVOICES, kwargs=lambda w: {"period": "2012-03"}),
    "invoicing:dispute_list": Rule(allowed=SEE_INVOICES),
    "invoicing:dispute_answer": Rule(allowed=FINANCE, kwargs=_dispute),
    "invoicing:close_list": Rule(allowed=FINANCE),
    "invoicing:close_detail": Rule(allowed=FINANCE, kwargs=_job),
    "invoicing:close_status": Rule(allowed=FINANCE, kwargs=_job),
    # No agency is held in the matrix's world: allowed users get 404, the others 403 first.
    "invoicing:close_issue_held": Rule(allowed=FINANCE, kwargs=_held, method="post", ok_statuses=frozenset({404})),
    # Nothing failed in the matrix's world: allowed users are sent back to the close page.
    "invoicing:close_retry_pdfs": Rule(allowed=FINANCE, kwargs=_job, method="post"),
}
