"""The demo's board reports: the year's commitments self-assessed, indicator comments, the internal
control plan and the survey's NKI per area and agency, read back through the tertial report; once."""

from decimal import Decimal

import pytest

from accounts import roles
from demo import board as demo
from demo import staffing as staffing_demo
from reporting.models import CommitmentAssessment, ControlPlanItem, IndicatorComment
from reporting.services.tertial import board_tertial_report
from staffing.models import SurveyScore
from tests import factories

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (CommitmentAssessment, IndicatorComment, ControlPlanItem, SurveyScore)]


def test_the_demo_fills_the_board_reports_once(unit, head_of_service):
    for n in range(6):
        factories.AgencyFactory(unit=unit, code=f"L1{n}")
    staffing_demo.load_surveys()
    users = {roles.HEAD_OF_SERVICE: head_of_service}
    demo.load(users=users)
    first = _counts()
    demo.load(users=users)  # again: nothing added
    # 2013-01-15: all three tertials of 2012 are past; five commitments × three tertials.
    assert first == _counts() == [15, 4, 4, 7]
    assert CommitmentAssessment.objects.filter(status="not_met").count() == 1
    plan = list(ControlPlanItem.objects.filter(year=2012))
    assert [item.risk_value for item in plan] == [12, 6, 8, 6]  # probability first, then consequence

    report = board_tertial_report(year=2012, tertial=1)
    chapters = {chapter.key: chapter for chapter in report.chapters}
    nki = chapters["nki"].tables[0][1].rows
    # The whole service (the survey's 77), the two areas, five agencies; seed 000's target 75.
    assert [row["nki"] for row in nki] == [Decimal(v) for v in ("77.0", "78.0", "81.0", "79.0", "76.0")] + [
        Decimal("65.0"),
        Decimal("77.0"),
        Decimal("74.0"),
    ]
    assert {row["target"] for row in nki} == {Decimal("75")}
    assert [row["status"] for row in nki].count(False) == 2  # agency L13's 65 and pensions' 74
    indicators = chapters["indicators"].tables[0][1].rows
    commented = {row["indicator"]: row["action"] for row in indicators if row["comment"]}
    assert set(commented) == {"phone_within_25s", "payslips_per_fte"}
