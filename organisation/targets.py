"""The board's targets: defaults from the business plans, and the target in force for a year.

The one table every page reads (reports, dashboards, the meetings, sick-leave, phone and survey
pages): no target is written in code elsewhere, so a target the head of service edits is shown
everywhere at once. The defaults are created after ``migrate`` for an indicator that has none.
"""

from decimal import Decimal

from core.allocation import spread_over_months, year_months
from organisation.models import Target

Ind = Target.Indicator

# indicator, from year, value, note (sources: the seeds' business plans 2009, 2012 and 2025)
DEFAULT_TARGETS = [
    (Ind.PAYSLIPS_PER_PAYROLL_FTE, 2009, "750", "Verksamhetsplan 2009"),
    (Ind.PAYSLIPS_PER_PAYROLL_FTE, 2012, "950", "Verksamhetsplan 2012: höjt från 900 till 950"),
    (Ind.PAYSLIPS_PER_FTE, 2025, "1400", "Verksamhetsplan 2025, följs upp per tertial"),
    (Ind.RETIREMENTS_PER_PENSION_FTE, 2012, "510", "Verksamhetsplan 2012"),
    (Ind.PHONE_WITHIN_25S, 2012, "85", "Åtagande: 85 % av samtalen besvaras inom 25 sekunder"),
    (Ind.FIRST_CONTACT, 2012, "80", "Åtagande: 80 % löses vid första kontakten"),
    (Ind.EMAIL_WITHIN_DAY, 2012, "100", "Åtagande: e-post läses och besvaras inom en dag"),
    (Ind.CUSTOMER_MEETINGS, 2012, "60", "Minst 60 kundmöten per år"),
    (Ind.CUSTOMER_MEETINGS_PER_AGENCY, 2012, "2", "Minst två kundmöten per förvaltning och år"),
    (Ind.SATISFIED_CUSTOMERS, 2012, "90", "90 % nöjda kunder"),
    (Ind.SICK_LEAVE, 2012, "4.5", "Sjukfrånvaro 2012"),
    (Ind.SICK_LEAVE, 2025, "6", "Sjukfrånvaro 2025"),
    (Ind.SICK_LEAVE_SHORT, 2025, "2.2", "Sjukfrånvaro dag 1–14, 2025"),
    (Ind.NKI, 2012, "75", "NKI för effektivitet ska överstiga 2011 års resultat (75)"),
    (Ind.NKI, 2025, "66", "Serviceförvaltningens NKI för bastjänsterna, 2025"),
    (Ind.REVENUE_BUDGET, 2012, "42700000", "Budgeterade intäkter 2012: 42,7 mnkr"),
    (Ind.TRAINING_SESSIONS, 2025, "8", "Verksamhetsplan 2025: 8 utbildningstillfällen för förvaltningarna"),
]


def ensure_default_targets() -> None:
    """Create the plans' targets for an indicator that has none yet (after migrate)."""
    present = set(Target.objects.values_list("indicator", flat=True).distinct())
    for indicator, year, value, note in DEFAULT_TARGETS:
        if indicator not in present:
            Target.objects.get_or_create(
                indicator=indicator, year=year, defaults={"value": Decimal(value), "note": note}
            )


def targets_for(year: int) -> dict[str, Decimal]:
    """Every indicator's target in force in ``year``: the row of the latest year not after it."""
    found: dict[str, Decimal] = {}
    for row in Target.objects.filter(year__lte=year).order_by("indicator", "-year"):
        found.setdefault(row.indicator, _plain(row.value))
    return found


def _plain(value: Decimal) -> Decimal:
    """950.00 → 950, 4.50 → 4.5: targets are shown and exported as they were set."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def target_for(indicator: str, year: int) -> Decimal | None:
    row = Target.objects.filter(indicator=indicator, year__lte=year).order_by("-year").first()
    return _plain(row.value) if row else None


def monthly_budget(year: int) -> dict[str, Decimal] | None:
    """The year's revenue budget spread over its twelve months, summing to the year exactly: each month
    gets a twelfth rounded down (to the krona when the budget is set in whole kronor, else to the öre)
    and what is left over goes one krona (öre) each to the first months: 42,700,000 kr is 3,558,334 kr
    in January to April and 3,558,333 kr in May to December. Every page and PDF reads the budget of a
    month, tertial or the year so far from here (the rule: ``core.allocation``)."""
    budget = target_for(Ind.REVENUE_BUDGET, year)
    if budget is None:
        return None
    return spread_over_months(budget, year_months(year))


def budget_for(periods) -> Decimal | None:
    """The budget of ``periods`` (months, possibly of several years): the sum of their monthly allocations;
    None when a year of them has no budget."""
    total = Decimal("0.00")
    allocations: dict[int, dict[str, Decimal] | None] = {}
    for period in periods:
        year = int(period[:4])
        if year not in allocations:
            allocations[year] = monthly_budget(year)
        if allocations[year] is None:
            return None
        total += allocations[year][period]
    return total
