"""Monthly volume aggregates: payslips per pay period, agency and channel.

Dashboards and reports read MonthlyVolume (a few thousand rows for five years)
instead of counting millions of payroll cases. The close refreshes the month it
closes and the two before it (late cases); ``manage.py refresh_volumes`` any range.
Months without a refresh are counted live through payroll's selector (one GROUP BY).
"""

from django.db import transaction

from ..models import AggregatedPeriod, MonthlyVolume


def live_payslip_counts(*, periods: list[str], unit_ids=None, group_by=("period", "agency_id", "unit_id", "channel")):
    """Completed payroll cases counted from the cases through payroll's selector (one GROUP BY
    on the (period, agency, channel) index), with each agency's unit from one query of agencies."""
    from collections import defaultdict

    from customers.models import Agency
    from payroll.selectors import volumes_by_channel

    counts = volumes_by_channel(periods=periods)
    agency_ids = {agency_id for by_agency in counts.values() for agency_id in by_agency}
    unit_of = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "unit_id"))
    merged: dict[tuple, int] = defaultdict(int)
    for period, by_agency in counts.items():
        for agency_id, by_channel in by_agency.items():
            if unit_ids is not None and unit_of.get(agency_id) not in unit_ids:
                continue
            for channel, n in by_channel.items():
                row = {"period": period, "agency_id": agency_id, "unit_id": unit_of.get(agency_id), "channel": channel}
                merged[tuple(row[f] for f in group_by)] += n
    return [dict(zip(group_by, key, strict=True)) | {"payslips": n} for key, n in merged.items()]


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
