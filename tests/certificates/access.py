"""Who may use each certificate URL: case handlers do the work for their unit's agencies, unit managers
and the head of service read; pension handlers and finance have no access."""

from accounts import roles
from tests import factories
from tests.access import Rule, roles_

from .factories import CertificateFactory

READERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
WORKERS = roles_(roles.CASE_HANDLER, roles.ADMINISTRATOR)


def _certificate(w, **kwargs):
    agency = factories.AgencyFactory(unit=w["unit"])
    return {"pk": CertificateFactory(agency=agency, **kwargs).pk}


def _with_pay(w):
    agency = factories.AgencyFactory(unit=w["unit"])
    certificate = CertificateFactory(agency=agency)
    factories.PayrollCaseFactory(agency=agency, person=certificate.person, period="2025-01")
    return {"pk": certificate.pk}


def _issued(w):
    from certificates import services

    kwargs = _with_pay(w)
    certificate = services.Certificate.objects.get(pk=kwargs["pk"])
    services.issue_certificate(certificate=certificate, user=certificate.registered_by)
    return kwargs


RULES = {
    "certificates:list": Rule(allowed=READERS),
    "certificates:request": Rule(allowed=WORKERS),
    "certificates:detail": Rule(allowed=READERS, kwargs=_certificate),
    "certificates:issue": Rule(allowed=WORKERS, kwargs=_with_pay, method="post"),
    "certificates:cancel": Rule(allowed=WORKERS, kwargs=_certificate, method="post", data=lambda w: {"reason": "x"}),
    "certificates:pdf": Rule(allowed=READERS, kwargs=_issued),
    "certificates:mail_log": Rule(allowed=READERS),
    "certificates:mail_create": Rule(allowed=WORKERS),
}
