"""The ledger posts its actual costs through the API: the CSV import's rules, all or nothing."""

from decimal import Decimal

import pytest

from economy.models import ActualCost, CostCentre, CostType, LedgerAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(unit):
    CostCentre.objects.create(code="1101", name="Löneenhet 1", unit=unit)
    CostCentre.objects.create(code="1100", name="Servicechef")
    LedgerAccount.objects.create(account="5010", name="Löner", cost_type=CostType.PERSONNEL)
    LedgerAccount.objects.create(account="6540", name="IT-tjänster", cost_type=CostType.IT)


LINES = [
    {"period": "2012-03", "ansvar": "1101", "konto": "5010", "amount": "2758333.33"},
    {"period": "2012-03", "ansvar": "1100", "konto": "6540", "amount": "-500"},
]


def test_the_ledger_posts_a_month_and_reads_it_back(api_for, ledger_account, ledger):
    api = api_for(ledger_account, ["costs:write", "costs:read"], language="en")
    posted = api.post("/api/v1/actual-costs/", {"lines": LINES}, HTTP_IDEMPOTENCY_KEY="ledger-2012-03")
    assert posted.status_code == 201, posted.content
    assert posted.json() == {"months": ["2012-03"], "rows": 2}
    assert sum(ActualCost.objects.values_list("amount", flat=True)) == Decimal("2757833.33")
    shared = ActualCost.objects.get(cost_centre__code="1100")
    assert (shared.unit, shared.cost_type) == (None, CostType.IT)
    read = api.get("/api/v1/actual-costs/", {"period": "2012-03"}).json()
    rows = read["results"] if isinstance(read, dict) else read
    assert [(r["ansvar"], r["konto"], r["amount"], r["unit"]) for r in rows] == [
        ("1100", "6540", "-500.00", None),
        ("1101", "5010", "2758333.33", "lon1"),
    ]
    # The month posted again is replaced, not added to.
    again = api.post("/api/v1/actual-costs/", {"lines": LINES[:1]})
    assert again.status_code == 201 and ActualCost.objects.count() == 1


def test_an_unmapped_account_refuses_every_line(api_for, ledger_account, ledger):
    api = api_for(ledger_account, ["costs:write"], language="en")
    bad = [*LINES, {"period": "2012-03", "ansvar": "1101", "konto": "9999", "amount": "10"}]
    response = api.post("/api/v1/actual-costs/", {"lines": bad})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"row": 4, "column": "konto", "detail": "account 9999 is not mapped to a cost type"}
    ]
    assert not ActualCost.objects.exists()


def test_a_token_without_the_scope_or_role_is_refused(api_for, ledger_account, system_account, ledger):
    assert api_for(ledger_account, ["costs:read"]).post("/api/v1/actual-costs/", {"lines": LINES}).status_code == 403
    # A case handler's account cannot be given the scope at all.
    from accounts import roles

    assert "costs:read" not in roles.allowed_scopes(system_account)
    assert "costs:write" in roles.allowed_scopes(ledger_account)
    assert not ActualCost.objects.exists()


def test_a_unit_manager_reads_only_the_own_units_costs(api_for, ledger_account, unit_manager, ledger):
    assert api_for(ledger_account, ["costs:write"]).post("/api/v1/actual-costs/", {"lines": LINES}).status_code == 201
    read = api_for(unit_manager, ["costs:read"]).get("/api/v1/actual-costs/").json()
    rows = read["results"] if isinstance(read, dict) else read
    assert [(r["ansvar"], r["amount"]) for r in rows] == [("1101", "2758333.33")]
