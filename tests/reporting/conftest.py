import pytest

from tests import factories
from tests.invoicing.conftest import month_of_work, price_list  # noqa: F401  (fixtures shared with invoicing)


@pytest.fixture
def volumes(unit, other_unit):
    """Payslips of March 2012 as the close's monthly aggregate: 1,900 in lon1, 1,800 in lon2."""
    from payroll.models import AggregatedPeriod, MonthlyVolume

    a = factories.AgencyFactory(code="V1", unit=unit)
    b = factories.AgencyFactory(code="V2", unit=other_unit)
    rows = [(a, "self_service", 1300), (a, "manual", 600), (b, "lisa_tid", 1000), (b, "agresso", 800)]
    for agency, channel, n in rows:
        MonthlyVolume.objects.create(period="2012-03", agency=agency, unit=agency.unit, channel=channel, payslips=n)
    MonthlyVolume.objects.create(period="2011-03", agency=a, unit=unit, channel="manual", payslips=1000)
    for period in ("2012-03", "2011-03"):
        AggregatedPeriod.objects.create(period=period)
    return {"a": a, "b": b}


@pytest.fixture
def staffing_figures(monkeypatch, unit, other_unit):
    """FTE entered in staffing (2 payroll FTE in each unit, 1 pension FTE in lon2) for March 2012 and
    the first tertial of 2025, and pension retirements as pensions reports them (45 a month in lon2)."""
    from decimal import Decimal

    fte = {
        (unit.pk, "payroll_admin"): Decimal("2.00"),
        (other_unit.pk, "payroll_admin"): Decimal("2.00"),
        (unit.pk, "pension_handler"): Decimal("0.00"),
        (other_unit.pk, "pension_handler"): Decimal("1.00"),
    }
    units = {unit.pk: unit, other_unit.pk: other_unit}
    for period in ("2012-03", "2025-01", "2025-02", "2025-03", "2025-04"):
        for (unit_id, category), value in fte.items():
            factories.MonthlyFteFactory(period=period, unit=units[unit_id], category=category, fte=value)

    def pension_retirements(*, periods, unit=None):
        per_month = {other_unit.pk: 45}
        return sum(n for u, n in per_month.items() if unit is None or u == unit.pk) * len(list(periods))

    patch_selector(monkeypatch, "pensions.selectors.pension_retirements", pension_retirements)
    return fte


def patch_selector(monkeypatch, dotted: str, function) -> None:
    """Stand in for another app's selector, in its module and wherever reporting imported it by name."""
    import importlib
    import sys

    module_name, name = dotted.rsplit(".", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    monkeypatch.setattr(module, name, function)
    for loaded_name, loaded in list(sys.modules.items()):
        if loaded_name.startswith(("reporting", "invoicing")) and getattr(loaded, name, None) is original:
            monkeypatch.setattr(loaded, name, function)
