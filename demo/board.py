"""Demo data for the board's reports: what the head of service writes into the tertial report, and
the survey's NKI per service area and agency.

- **Commitments**: the business plan's five commitments (åtaganden) of the demo year, each
  self-assessed for every tertial whose four months are closed (on 2 December: tertials 1 and 2).
- **Indicators**: a comment and an action on a few of the tertial report's indicators.
- **Internal control plan**: four risks of the year, probability × consequence, the control, who
  and when.
- **NKI**: the demo year's survey (``demo.staffing``, NKI 77) per service area and for five agencies
  of unit 1, one of them (65) under the target (seeds: 75 in 2012, 66 from 2025).

Through ``reporting.services.follow_up``; the survey's scores have no service and are upserted.
Idempotent: an assessment, comment or risk that is there is left as it is.
"""

from decimal import Decimal as D

from django.db import transaction

from accounts import roles
from customers.models import Agency
from demo import calendar
from demo.users import upsert
from organisation.models import Target
from reporting.models import CommitmentAssessment, ControlPlanItem, IndicatorComment
from reporting.services import follow_up
from staffing.models import CustomerSurvey, SurveyScore

S = CommitmentAssessment.Status
# commitment title → the self-assessment of tertials 1, 2, 3: (status, text)
ASSESSMENTS = {
    "Produktivitet": [
        (S.PARTLY, "Lönespecifikationer per årsarbetare något under målet; fler förvaltningar på e-tjänst."),
        (S.MET, "Målet nått för perioden efter att två förvaltningar gått över till självservice."),
        (S.MET, "Årets mål nått."),
    ],
    "God tillgänglighet": [
        (S.PARTLY, "85 % besvarade inom 25 sekunder i februari–april, under målet i januari."),
        (S.MET, "Åtagandet uppfyllt alla månader."),
        (S.MET, "Åtagandet uppfyllt."),
    ],
    "Bra bemötande": [
        (S.MET, "Inga klagomål på bemötande under perioden."),
        (S.MET, "Ett klagomål, åtgärdat samma vecka."),
        (S.MET, "Inga klagomål på bemötande."),
    ],
    "Tydlig information": [
        (S.NOT_MET, "Anställningsblanketten har varit svår att fylla i; ny version tas fram."),
        (S.PARTLY, "Ny version av blanketten för anställning publicerad i portalen."),
        (S.MET, "Kundmeddelanden inför varje lönekörning."),
    ],
    "Rätt service": [
        (S.MET, "Rätt lön i rätt tid; felfrekvensen under målet."),
        (S.PARTLY, "Två felaktiga utbetalningar i juni efter schemaändring."),
        (S.MET, "Felfrekvensen under målet."),
    ],
}
Ind = Target.Indicator
# (tertial, indicator, comment, action)
INDICATOR_COMMENTS = [
    (
        1,
        Ind.PHONE_WITHIN_25S,
        "Januari under målet: många frågor om nya skattetabeller.",
        "Extra bemanning i telefon första veckan i januari.",
    ),
    (1, Ind.PAYSLIPS_PER_FTE, "Under årsmålet på 1 400 per årsarbetare.", "Fler förvaltningar ansluts till e-tjänst."),
    (2, Ind.SICK_LEAVE, "Korttidssjukfrånvaron ökade under sommaren.", "Uppföljning med företagshälsovården."),
    (
        2,
        Ind.ERROR_RATE,
        "Två felaktiga utbetalningar efter schemaändring.",
        "Checklistan för schemaändring uppdaterad.",
    ),
]
# (risk, probability, consequence, control, who, when)
CONTROL_PLAN = [
    (
        "Felaktig utbetalning av lön",
        3,
        4,
        "Stickprov på 20 manuella ärenden per enhet och månad.",
        "Enhetschef",
        "Varje månad",
    ),
    (
        "Obehörig åtkomst till skyddade personuppgifter",
        2,
        4,
        "Genomgång av behörigheter och loggar.",
        "Verksamhetschef",
        "Tertialvis",
    ),
    (
        "Underlag kommer in efter sista dag",
        3,
        2,
        "Uppföljning av sena underlag per förvaltning.",
        "Enhetschef",
        "Efter varje lönekörning",
    ),
    (
        "Fakturering stämmer inte mot prislistan",
        2,
        3,
        "Avstämning av fakturaunderlag mot prislistan.",
        "Ekonomi",
        "Tertialvis",
    ),
]
# NKI per area (the whole area) and per agency of unit 1 (by code, the first five).
AREA_NKI = {SurveyScore.Area.PAYROLL: (D("78.0"), 142), SurveyScore.Area.PENSION: (D("74.0"), 29)}
AGENCY_NKI = [D("81.0"), D("79.0"), D("76.0"), D("65.0"), D("77.0")]


def past_tertials() -> list[int]:
    """The demo year's tertials whose four months are closed."""
    return [t for t in (1, 2, 3) if calendar.is_closed_month(4 * t)]


def load(*, users) -> None:
    head = users.get(roles.HEAD_OF_SERVICE)
    if head is None:
        return
    year = calendar.year()
    with transaction.atomic():
        _load_commitments(year, head)
        _load_indicator_comments(year, head)
        _load_control_plan(year, head)
        _load_survey_scores(year)


def _load_commitments(year, head) -> None:
    tertials = past_tertials()
    for commitment in follow_up.add_plan_commitments(year=year):
        plan = ASSESSMENTS.get(commitment.title)
        if plan is None:
            continue
        for tertial in tertials:
            if CommitmentAssessment.objects.filter(commitment=commitment, tertial=tertial).exists():
                continue
            status, text = plan[tertial - 1]
            follow_up.assess_commitment(commitment=commitment, tertial=tertial, status=status, text=text, user=head)


def _load_indicator_comments(year, head) -> None:
    tertials = past_tertials()
    for tertial, indicator, comment, action in INDICATOR_COMMENTS:
        if tertial not in tertials:
            continue
        if IndicatorComment.objects.filter(year=year, tertial=tertial, indicator=indicator).exists():
            continue
        follow_up.comment_indicator(
            year=year, tertial=tertial, indicator=indicator, comment=comment, action=action, user=head
        )


def _load_control_plan(year, head) -> None:
    for risk, probability, consequence, control, who, when in CONTROL_PLAN:
        if ControlPlanItem.objects.filter(year=year, risk=risk).exists():
            continue
        item = ControlPlanItem(
            year=year,
            risk=risk,
            probability=probability,
            consequence=consequence,
            control=control,
            responsible=who,
            schedule=when,
        )
        follow_up.save_control_plan_item(item=item, user=head)


def _load_survey_scores(year) -> None:
    survey = CustomerSurvey.objects.filter(year=year).first()
    if survey is None:
        return
    for area, (nki, respondents) in AREA_NKI.items():
        upsert(
            SurveyScore,
            lookup={"survey": survey, "area": area, "agency": None},
            values={"nki": nki, "respondents": respondents},
        )
    agencies = Agency.objects.filter(unit__code="lon1").order_by("code")[: len(AGENCY_NKI)]
    for agency, nki in zip(agencies, AGENCY_NKI, strict=False):
        upsert(
            SurveyScore,
            lookup={"survey": survey, "area": SurveyScore.Area.PAYROLL, "agency": agency},
            values={"nki": nki, "respondents": 6},
        )
