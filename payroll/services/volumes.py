"""Monthly volume aggregates: payslips per pay period, agency and channel.

Dashboards and reports read MonthlyVolume (a few thousand rows for five years)
instead of counting millions of payroll cases. The close refreshes the month it
closes and the two before it (late cases); ``manage.py refresh_volumes`` any range.
Months without a refresh are counted live (``payroll.selectors.volume_rows``).
"""

from django.db import transaction

from ..models import AggregatedPeriod, MonthlyVolume
from ..selectors import payslip_counts


@transaction.atomic
def refresh_monthly_volumes(*, periods: list[str]) -> int:
    """Copy the given pay periods' counts (kept by the case table's triggers) into MonthlyVolume,
    with each agency's unit as it is now; returns the rows written."""
    periods = sorted(set(periods))
    rows = payslip_counts(periods=periods)
    MonthlyVolume.objects.filter(period__in=periods).delete()
    MonthlyVolume.objects.bulk_create(
        MonthlyVolume(
            period=row["period"],
            agency_id=row["agency_id"],
            unit_id=row["unit_id"],
            channel=row["channel"],
            payslips=row["payslips"],
        )
        for row in rows
    )
    for period in periods:
        AggregatedPeriod.objects.update_or_create(period=period)
    return len(rows)
