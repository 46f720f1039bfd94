"""The targets shown next to the staffing figures (seeds 000 and 001).

The board-editable targets used in the reports live in the reporting app, which staffing
cannot import (dependencies go one way); these are the plans' values for the staffing pages.
"""

from decimal import Decimal

# Sick leave at most (%), from the year on: 4.5 % in the 2012 plan, 6 % in the 2025 plan.
SICK_LEAVE = {2012: Decimal("4.5"), 2025: Decimal("6.0")}
PHONE_WITHIN_25S = Decimal("85")  # share of calls answered within 25 seconds (%)
FIRST_CONTACT = Decimal("80")  # share resolved at the first contact (%)
EMAIL_WITHIN_DAY = Decimal("100")  # e-mail read and answered within one day (%)
SATISFIED_CUSTOMERS = Decimal("90")  # share of satisfied customers in the survey (%)


def sick_leave_target(year: int) -> Decimal:
    """The target of the latest plan year not after ``year`` (the earliest before 2012)."""
    years = sorted(SICK_LEAVE)
    chosen = years[0]
    for plan_year in years:
        if plan_year <= year:
            chosen = plan_year
    return SICK_LEAVE[chosen]
