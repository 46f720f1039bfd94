"""No query-string value makes a page fail with a 500 (issue 14, item 12).

Periods written in Arabic-Indic digits crashed the FTE form, the phone form and the dashboard;
periods 2100-12 and 1900-01 the dashboards and the productivity report; a huge ``page=`` the case
list. Every GET URL of the access matrix is opened by a user allowed to, with each hostile value in
every parameter the pages read: each either works or answers with a clear message (a 4xx or the
page with a form error), never a server error.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import roles
from core.forms import PeriodField
from core.periods import next_period, previous_period
from tests.access import collect_rules

RULES = collect_rules()
GET_URLS = sorted(name for name, rule in RULES.items() if rule.method == "get" and name != "admin:")

PARAMETERS = [
    "period", "year", "month", "page", "from", "to", "first", "last", "date", "day", "week", "tertial",
    "period_from", "period_to", "q", "sort", "agency", "unit", "status", "kind", "bucket", "tab", "channel",
    "received_on_after", "received_on_before", "decided_on_after", "decided_on_before", "personnummer",
]  # fmt: skip
VALUES = [
    "٢٠١٢-03",  # Arabic-Indic digits in the year
    "２０１２-０３",  # full-width digits
    "2100-12",
    "1900-01",
    "9" * 40,
    "-1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("value", VALUES)
def test_no_query_string_value_gives_a_server_error(value, unit, users_by_role):
    world = {"unit": unit, "users": users_by_role}
    client = Client(raise_request_exception=False)
    failures = []
    for name in GET_URLS:
        rule = RULES[name]
        allowed = [role for role in roles.ROLES if role in rule.allowed]
        if not allowed:
            continue
        client.force_login(users_by_role[allowed[0]])
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        response = client.get(url, dict.fromkeys(PARAMETERS, value))
        # Readiness answers 503 by design when a service is down (no worker runs beside the tests).
        if response.status_code >= 500 and response.status_code not in rule.ok_statuses:
            failures.append((name, response.status_code))
    assert not failures, failures


@pytest.mark.parametrize("value", ["٢٠١٢-03", "２０１２-03", "٢٠١٢-٠٣", "0000-01", "2101-01", "1899-12"])
def test_a_period_in_other_digits_or_out_of_range_is_a_form_error(value):
    field = PeriodField()
    with pytest.raises(ValidationError):
        field.clean(value)


def test_the_months_around_the_range_can_be_computed():
    assert (next_period("2100-12"), previous_period("1900-01")) == ("2101-01", "1899-12")
