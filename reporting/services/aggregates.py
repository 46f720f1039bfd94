"""Monthly volume aggregates: payslips per pay period, agency and channel.

Dashboards and reports read MonthlyVolume (a few thousand rows for five years)
instead of counting millions of payroll cases. The close refreshes the month it
closes and the two before it (late cases); ``manage.py refresh_volumes`` any range.
Months without a refresh are counted live from payroll cases (one GROUP BY).
"""

from django.db import transaction
from django.db.models import Count

from payroll.models import PayrollCase

from ..models import AggregatedPeriod, MonthlyVolume


def live_payslip_counts(*, periods: list[str], unit_ids=None, group_by=("period", "agency_id", "unit_id", "channel")):
    """Completed payroll cases counted straight from the cases: one GROUP BY on the
    (period, agency, channel) index. The one place reporting reads payroll cases."""
    fields = {"period": "period", "agency_id": "agency_id", "unit_id": "agency__unit_id", "channel": "channel"}
    qs = PayrollCase.objects.filter(period__in=periods, status=PayrollCase.Status.COMPLETED)
    if unit_ids is not None:
        qs = qs.filter(agency__unit_id__in=unit_ids)
    rows = qs.values(*(fields[name] for name in group_by)).annotate(payslips=Count("id")).order_by()
    return [{name: row[fields[name]] for name in group_by} | {"payslips": row["payslips"]} for row in rows]


@transaction.atomic
def refresh_monthly_volumes(*, periods: list[str]) -> int:
    """Recount the given pay periods into MonthlyVolume; returns the rows written."""
    periods = sorted(set(periods))
    rows = live_payslip_counts(periods=periods)
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
