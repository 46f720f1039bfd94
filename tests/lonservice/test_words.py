"""The Swedish UI says things in Swedish, with the right word for each thing (issue 22)."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from accounts import roles
from core.forms import PeriodField
from payroll.models import PayslipImport
from pensions.models import PensionCase
from people import identity


def test_a_rejected_pension_decision_is_an_avslag_and_a_rejected_file_is_avvisad():
    with translation.override("sv"):
        assert str(PensionCase.Decision.REJECTED.label) == "Avslag"
        assert str(PensionCase.Decision.GRANTED.label) == "Beviljad"
        assert str(PayslipImport.Status.REJECTED.label) == "Avvisad"


def test_a_month_field_asks_for_aaaa_mm_in_swedish():
    with translation.override("sv"):
        assert 'placeholder="ÅÅÅÅ-MM"' in PeriodField().widget.render("period", "")
    with translation.override("en"):
        assert 'placeholder="YYYY-MM"' in PeriodField().widget.render("period", "")


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("pensions: case export (csv)", "Pensionsärenden nedladdade (CSV)"),
        ("payroll case export (xlsx)", "Löneärenden nedladdade (Excel)"),
        ("payroll case L-600012", "Löneärende L-600012"),
        ("payroll case list", "Listan över löneärenden"),
        ("pensions: case PE-2012-00001", "Pensionsärende PE-2012-00001"),
        ("admin: person history", "Administrationssidan: personens historik"),
        ("something new", "something new"),
    ],
)
def test_the_log_of_unmasked_views_says_where_in_swedish(stored, shown):
    with translation.override("sv"):
        assert identity.context_label(stored) == shown


def test_the_audit_trail_names_a_role_group_in_swedish(client, administrator):
    group = Group.objects.get(name=roles.GROUP_NAMES[roles.CASE_HANDLER])
    LogEntry.objects.create(
        user=administrator,
        content_type=ContentType.objects.get_for_model(Group),
        object_id=str(group.pk),
        object_repr=group.name,
        action_flag=CHANGE,
        change_message="[]",
    )
    client.force_login(administrator)
    html = client.get(reverse("audit:trail")).content.decode()
    assert "Löneadministratör" in html and "Case handler" not in html
