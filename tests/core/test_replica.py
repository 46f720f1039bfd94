"""Reports read from the read replica when REPORTS_DATABASE_URL configures one; nothing else does."""

import pytest
from django.db import router
from django.urls import reverse
from django.utils.connection import ConnectionDoesNotExist

from accounts import roles
from core.replica import REPORTS, reports_reads
from invoicing.models import Invoice
from payroll.models import MonthlyVolume, PayrollCase
from tests import factories


@pytest.fixture
def replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPORTS: {**settings.DATABASES["default"]}}


def test_without_a_replica_everything_reads_the_primary():
    with reports_reads():
        assert router.db_for_read(PayrollCase) == "default"
        assert MonthlyVolume.objects.all().db == "default"


def test_report_reads_go_to_the_replica_and_writes_never(replica):
    assert MonthlyVolume.objects.all().db == "default"  # outside a report
    with reports_reads():
        assert MonthlyVolume.objects.filter(period="2012-03").db == REPORTS
        assert router.db_for_read(PayrollCase) == REPORTS
        assert router.db_for_write(Invoice) == "default"
    assert router.db_for_read(PayrollCase) == "default"
    assert not router.allow_migrate(REPORTS, "payroll") and router.allow_migrate("default", "payroll")


def test_the_unit_dashboard_reads_from_the_replica(replica, client, unit):
    # The replica is configured but not reachable here: the page's first report read goes there and
    # fails, after the login and permission check read the primary.
    client.force_login(factories.UserFactory(role=roles.UNIT_MANAGER, unit=unit))
    with pytest.raises(ConnectionDoesNotExist, match=REPORTS):
        client.get(reverse("reporting:unit_dashboard"))
    assert MonthlyVolume.objects.all().db == "default"  # after the page


def test_a_page_that_is_no_report_reads_the_primary(replica, client, finance):
    client.force_login(finance)
    assert client.get(reverse("invoicing:invoice_list")).status_code == 200
