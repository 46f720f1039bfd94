"""Pages and downloads with personal data are not kept in the browser's cache (issue 14, item 10).

The case list with personal identity numbers stayed in the browser's disk cache after logout.
Every page and download of the application says ``Cache-Control: no-store``: checked on every
GET URL of the access matrix, as a user allowed to open it.
"""

import pytest
from django.urls import reverse

from accounts import roles
from tests.access import collect_rules

RULES = collect_rules()
GET_URLS = sorted(name for name, rule in RULES.items() if rule.method == "get" and name != "admin:")


@pytest.mark.django_db
def test_every_page_and_download_says_no_store(client, unit, users_by_role):
    world = {"unit": unit, "users": users_by_role}
    checked = []
    for name in GET_URLS:
        rule = RULES[name]
        allowed = [role for role in roles.ROLES if role in rule.allowed]
        if not allowed and not rule.public:
            continue
        client.logout()
        if allowed:
            client.force_login(users_by_role[allowed[0]])
        response = client.get(reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None))
        if response.status_code != 200:
            continue
        assert "no-store" in response.get("Cache-Control", ""), (name, response.get("Cache-Control"))
        checked.append(name)
    assert len(checked) > 60, checked
    assert {"payroll:case_list", "payroll:case_detail", "invoicing:invoice_pdf"} <= set(checked)


@pytest.mark.django_db
def test_the_case_download_says_no_store(client, case_handler):
    client.force_login(case_handler)
    response = client.get(reverse("payroll:case_export"), {"format": "csv"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
