"""Every role, every page of its navigation and its start page, at 1280 px and on a phone (390 px).

On each page: nothing but a table's own scroll container is wider than the window; no date is broken across
two lines; no English word from ENGLISH shows in the Swedish UI (text, placeholders, labels, titles); axe-core
finds no serious or critical violation of WCAG 2.1 A/AA; and the page has its own <title>, one <h1> and (but
the start page) breadcrumbs.
One browser, one context per role, a small office built with the factories.
"""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import ClosedPeriod
from core.periods import current_period, previous_period
from customers.models import Agency
from invoicing.models import CloseJob
from payroll.models import PayrollCase
from people.models import ProtectedIdentityAccess
from staffing.models import Skill
from tests import factories
from tests.browser.conftest import _named
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
# English words found in the Swedish UI while it was being mended (and their likely kin); none is Swedish.
ENGLISH_FOUND = """
Invoice Invoices Export Save None True False YYYY ALL TOTAL queue payroll pensions Admin seed
Download Search Cancel Delete Edit Submit Filter Back Previous Next Yes Month Year Unit Agency Case
Cases Payslip Payslips Rejected Granted Dashboard Report Target Targets Nothing Your Waiting
Received Document Channel Overdue Total Menu Skip of the with
"""
ENGLISH = ENGLISH_FOUND.split()
ENGLISH_WORDS = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")
ROLES = [
    "case_handler",
    "pension_handler",
    "unit_manager",
    "head_of_service",
    "finance",
    "administrator",
    "agency_contact",
]

# One look at the page: what it shows a reader (its text but what is marked lang="en", and the words in its
# fields and images), what reaches past the window's right edge outside a table's scroll container, its
# title, h1 headings and breadcrumbs.
LOOK = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang^="sv"]), script, style, template').forEach((el) => el.remove());
  const words = [copy.innerText || copy.textContent, document.title];
  document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]').forEach((el) => {
    if (el.closest('[lang]:not([lang^="sv"])')) return;
    ['placeholder', 'aria-label', 'title', 'alt'].forEach((a) => el.hasAttribute(a) && words.push(el.getAttribute(a)));
  });
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    wide.push(`the page is ${root.scrollWidth} px wide`);
    document.querySelectorAll('body *').forEach((el) => {
      if (el.parentElement && el.parentElement.closest('.table-container')) return;
      const box = el.getBoundingClientRect();
      if (box.right <= root.clientWidth + 1 || wide.length > 5) return;
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(box.right)} px`);
    });
  }
  const wrapped = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects(), (box) => Math.round(box.top)));
      if (lines.size > 1 && wrapped.length < 5) wrapped.push(match[0]);
    }
  }
  return {
    text: words.join('\\n'), wide, wrapped, title: document.title, h1: document.querySelectorAll('h1').length,
    crumbs: document.querySelectorAll('nav.breadcrumbs li').length, lang: root.lang,
  };
}"""
# axe-core: WCAG 2.1 A and AA rules, serious and critical violations only. The layout around the page (top bar,
# side navigation, skip link) is the same on all of a role's pages: it is checked with its start page, and left
# out elsewhere. Colour contrast, the slowest rule, is checked once per page address and at 1280 px: the
# stylesheet's media queries change layout, not colours, and every role's page uses the same colours (the
# start page is also checked at 390 px, for the phone's menu button).
AXE_RUN = """([contrast, shell]) => axe.run(shell ? document : {exclude: [['.topbar'], ['#mainnav'], ['.skip-link']]}, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations'],
  rules: {'color-contrast': {enabled: contrast}},
}).then((r) => r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
  .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`))"""
CONTRAST_CHECKED: set[str] = set()  # page addresses whose colours axe has checked in this test session
# After a resize, the page's script has marked the tables that now scroll (on the next animation frame).
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def pension_handler(unit):
    return _named("pension_handler", "Per", "Persson", unit)


@pytest.fixture
def head_of_service(db):
    return _named("head_of_service", "Vera", "Berg")


@pytest.fixture
def administrator(db):
    return _named("administrator", "Ada", "Lind")


@pytest.fixture
def agency_contact(office, unit_manager):
    """The contact of Hägersten-Liljeholmen (its returned case, draft and invoice), with a customer message
    and a form on the information page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from customers.services import send_customer_message, upload_form_version

    contact = _named("agency_contact", "Anna", "Lindqvist")
    agency = Agency.objects.get(code="HL")
    factories.AgencyContactAccessFactory(user=contact, agency=agency)
    send_customer_message(author=unit_manager, subject="Ny blankett", body="Från april gäller version 2.")
    upload_form_version(
        upload=SimpleUploadedFile("nyanstallning.pdf", b"%PDF-1.4\n%%EOF\n"), user=unit_manager, name="Nyanställning"
    )
    return contact


@pytest.fixture
def office(unit, other_unit, case_handler, pension_handler, unit_manager, head_of_service, finance, administrator):
    """A small service centre in the middle of a month: open, due, overdue and returned cases, pension work,
    staffing figures, customers, and an invoiced and closed month."""
    today = timezone.localdate()
    this, last = current_period(), previous_period(current_period())
    closed = previous_period(previous_period(last))
    long_name = factories.AgencyFactory(
        code="HL", name="Hägersten-Liljeholmens stadsdelsförvaltning", kind=Agency.Kind.DISTRICT, unit=unit
    )
    guardian = factories.AgencyFactory(code="OFF", name="Överförmyndarförvaltningen", unit=unit)
    elsewhere = factories.AgencyFactory(code="SDF09", name="Stadsdelsförvaltning Väster", unit=other_unit)
    for agency in (long_name, guardian, elsewhere):
        factories.ServiceAgreementFactory(agency=agency, year=today.year)
        factories.AgencyContactFactory(agency=agency)
    factories.price_list_2012(today.year)

    def case(agency, n, due, **kwargs):
        kwargs.setdefault("handler", case_handler)
        return factories.ManualCaseFactory(
            agency=agency,
            period=this,
            person=factories.PersonFactory(name=f"Anna Andersson {n}"),
            received_on=today - dt.timedelta(days=7),
            due_on=today + dt.timedelta(days=due),
            registered_by=case_handler,
            **kwargs,
        )

    case(long_name, 1, -3, status=PayrollCase.Status.REGISTERED, document_type="new_hire")
    case(guardian, 2, 1)
    case(long_name, 3, 4, channel="girovision", handler=unit_manager, status=PayrollCase.Status.REGISTERED)
    secret = factories.PersonFactory(name="Hemlig Person", protected_identity=True)
    factories.ManualCaseFactory(
        agency=guardian, period=this, person=secret, handler=case_handler, received_on=today, due_on=today
    )
    factories.CaseReturnFactory(
        case__agency=long_name,
        case__handler=case_handler,
        case__period=this,
        returned_by=case_handler,
        returned_on=today - dt.timedelta(days=2),
        reply_by=today + dt.timedelta(days=5),
    )
    factories.add_cases(long_name, last, self_service=6, manual=2, agresso=1)
    factories.add_cases(guardian, last, lisa_tid=3, girovision=1)
    factories.PayslipImportFactory(unit=unit, uploaded_by=case_handler, file_name=f"lonespec-{last}.csv")
    factories.ControlSampleFactory(unit=unit, period=last, drawn_by=unit_manager)

    staff = pension_handler.staff_member
    pension = {"agency": long_name, "unit": unit, "handler": staff}
    factories.PensionCaseFactory(
        **pension, received_on=today - dt.timedelta(days=30), due_on=today - dt.timedelta(days=2)
    )
    factories.PensionCaseFactory(**pension, kind="survivor", received_on=today, due_on=today + dt.timedelta(days=3))
    factories.decided_pension_case(**pension, decided_on=today - dt.timedelta(days=1))
    factories.decided_pension_case(**pension, decided_on=today - dt.timedelta(days=1), decision="rejected")
    signals = factories.SignalListFactory(
        unit=unit, received_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1)
    )
    factories.SignalItemFactory(signal_list=signals, agency=guardian)

    for month in (closed, previous_period(last)):
        factories.MonthlyFteFactory(period=month, unit=unit, fte=Decimal("27.50"))
    factories.AbsenceFactory(staff_member=case_handler.staff_member, first_day=today.replace(day=1), last_day=today)
    factories.PhoneServiceMonthFactory(period=last)
    factories.CustomerSurveyFactory(year=today.year - 1)
    factories.CustomerLogEntryFactory(agency=long_name, date=today.replace(day=1), author=unit_manager)
    factories.ComplaintFactory(agency=guardian, received_on=today.replace(day=1))
    factories.DeviationFactory(agency=long_name, occurred_on=today - dt.timedelta(days=3), registered_by=case_handler)
    Skill.objects.create(staff_member=case_handler.staff_member, case_type="new_hire")
    Skill.objects.create(staff_member=case_handler.staff_member, agency=long_name)

    factories.add_cases(long_name, closed, self_service=10, manual=2)
    factories.issued_invoice(agency=long_name, period=closed)
    ClosedPeriod.objects.create(period=closed)
    CloseJob.objects.create(period=closed, state=CloseJob.State.DONE, trigger=CloseJob.Trigger.TEST, invoices_issued=1)
    ProtectedIdentityAccess.objects.create(user=administrator, person=secret, context="payroll case export (csv)")


def _axe_path() -> Path:
    if not AXE.exists():
        message = "node_modules/axe-core is missing: run npm ci (make test does)"
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def _problems(page, url: str, width: int) -> list[str]:
    where = f"{url} at {width} px"
    look = page.evaluate(LOOK)
    found = [f"{where}: wider than the window: {'; '.join(look['wide'])}"] if look["wide"] else []
    if look["wrapped"]:
        found.append(f"{where}: dates broken across lines: {', '.join(look['wrapped'])}")
    english = sorted(set(ENGLISH_WORDS.findall(look["text"])))
    if english:
        found.append(f"{where}: English in the Swedish UI: {', '.join(english)}")
    if not look["title"].endswith(" · Lönservice") or look["title"].startswith(" ·"):
        found.append(f"{where}: no title of its own ({look['title']!r})")
    if look["h1"] != 1:
        found.append(f"{where}: {look['h1']} h1 headings")
    if url != "/" and not look["crumbs"]:
        found.append(f"{where}: no breadcrumbs")
    if look["lang"] != "sv":
        found.append(f"{where}: lang={look['lang']!r}")
    start = url == "/"
    contrast = start or (width > 600 and url not in CONTRAST_CHECKED)
    found += [f"{where}: axe {violation}" for violation in page.evaluate(AXE_RUN, [contrast, start])]
    if contrast and width > 600:
        CONTRAST_CHECKED.add(url)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_fits_reads_swedish_and_passes_axe(
    request, role, browser, live_server, office, screenshot
):
    user = request.getfixturevalue(role)
    _axe_path()
    # CSP is bypassed for this context only (the pages' own CSP allows no script but their own).
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", base_url=live_server.url, bypass_csp=True
    )
    context.add_init_script(path=str(AXE))  # axe-core in every page of this context, before the page's own script
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click(".login-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".panel .kpi").count() > 0, "the start page says what needs doing"
        urls = ["/"] + [
            url
            for url in dict.fromkeys(page.locator("#mainnav a").evaluate_all("links => links.map(a => a.pathname)"))
            if not url.startswith("/admin/") and url != "/"
        ]
        assert len(urls) > 3, urls
        problems = []
        for url in urls:
            response = page.goto(url)
            if not response.ok:
                problems.append(f"{url}: HTTP {response.status}")
                continue
            for width in WIDTHS:  # the same page, reflowed: no second request
                page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
                page.evaluate(NEXT_FRAME)
                problems += _problems(page, url, width)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/")
        screenshot(page, f"start-{role.replace('_', '-')}")
        assert not problems, f"{len(problems)} problems on {len(urls)} pages of {role}:\n" + "\n".join(problems)
    finally:
        context.close()
