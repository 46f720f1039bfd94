"""Every example file in the README and on the upload pages imports as shown.

The examples are read from where people read them: README's fenced blocks marked
``<!-- example: <command> -->`` (and no other block that looks like an import file may go unmarked),
and the ``<pre>`` example on each upload page as the page shows it. Each is written to a file as it
stands and given to its import command, on the demo's organisation (its units and agencies), and must
import every row. Every personal identity number given as an example must pass the check digit.
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from personnummer import personnummer

from customers.models import Agency
from demo import customers as customers_demo
from demo import economy as economy_demo
from economy.models import ActualCost, CostBudget
from organisation.models import Unit
from payroll.models import PayrollCase
from pricing.models import PriceItem
from staffing.models import MonthlyFte, PhoneServiceMonth

README = Path(settings.BASE_DIR) / "README.md"
MARKED = re.compile(r"<!-- example: (\w+) -->\s*```[a-z]*\n(.*?)```", re.S)
FENCED = re.compile(r"```[a-z]*\n(.*?)```", re.S)
# The header row of each import a file example may be for.
HEADERS = {
    "import_payslips": "period;agency_code;payslip_id;personnummer;channel",
    "import_fte": "period;unit;category;fte",
    "import_phone": "period;calls;answered_25s;first_contact_resolved;emails;emails_within_1d",
    "import_agencies": "code;name;kind;unit",
    "import_price_list": "year;item_code;name;unit;price;base_item",
    "import_cost_budget": "year;unit;cost_type;amount",
    "import_costs": "period;ansvar;konto;amount",
}
# upload page, the role that opens it, the command its example is for
PAGES = [
    ("payroll:import_upload", "case_handler", "import_payslips"),
    ("staffing:fte_import", "head_of_service", "import_fte"),
    ("staffing:phone_import", "head_of_service", "import_phone"),
    ("customers:agency_import", "administrator", "import_agencies"),
    ("pricing:pricelist_import", "administrator", "import_price_list"),
    ("economy:cost_budget_import", "head_of_service", "import_cost_budget"),
    ("economy:actual_cost_import", "finance", "import_costs"),
]
IMPORTED = {
    "import_payslips": lambda: PayrollCase.objects.count(),
    "import_fte": lambda: MonthlyFte.objects.count(),
    "import_phone": lambda: PhoneServiceMonth.objects.count(),
    "import_agencies": lambda: Agency.objects.filter(code__in=["RK", "UTB"]).count(),
    "import_price_list": lambda: PriceItem.objects.count(),
    "import_cost_budget": lambda: CostBudget.objects.count(),
    "import_costs": lambda: ActualCost.objects.count(),
}


def readme_examples() -> list[tuple[str, str]]:
    return [(command, text) for command, text in MARKED.findall(README.read_text(encoding="utf-8"))]


@pytest.fixture
def demo_organisation(db):
    """The demo's units and agencies, cost centres and ledger accounts, which the examples name."""
    customers_demo.load_organisation()
    customers_demo._agencies()
    economy_demo._accounts()
    economy_demo._centres()


def _imports_as_shown(tmp_path, command: str, text: str) -> None:
    header, *rows = [line for line in text.strip().splitlines() if line.strip()]
    assert header == HEADERS[command], f"{command}: the example's header is {header!r}"
    assert rows, f"{command}: the example has no row"
    before = IMPORTED[command]()
    path = tmp_path / "example.csv"
    path.write_text(text, encoding="utf-8")
    call_command(command, str(path))
    written = IMPORTED[command]() - before
    if command == "import_agencies":
        assert written == 0 and Agency.objects.get(code="UTB").unit.code == "lon1"  # updated as they are
    else:
        assert written == len(rows), f"{command}: {written} of {len(rows)} rows imported"


def test_readme_has_its_examples_marked():
    found = {command for command, _text in readme_examples()}
    assert {"import_payslips", "import_fte", "import_phone"} <= found, found
    unmarked = [
        block.splitlines()[0]
        for block in FENCED.findall(MARKED.sub("", README.read_text(encoding="utf-8")))
        if block.strip() and block.splitlines()[0].strip() in HEADERS.values()
    ]
    assert not unmarked, f"README examples not marked for this test: {unmarked}"


@pytest.mark.parametrize("command, text", readme_examples(), ids=[c for c, _t in readme_examples()])
def test_every_readme_example_imports_as_shown(demo_organisation, tmp_path, command, text):
    _imports_as_shown(tmp_path, command, text)


@pytest.mark.parametrize("url_name, role, command", PAGES, ids=[p[0] for p in PAGES])
def test_every_upload_page_example_imports_as_shown(
    demo_organisation, tmp_path, client, users_by_role, url_name, role, command
):
    user = users_by_role[role]
    if role == "case_handler":  # the case handler of the demo's unit 1, whose agencies the example names
        staff = user.staff_member
        staff.unit = Unit.objects.get(code="lon1")
        staff.save()
    client.force_login(user)
    page = client.get(reverse(url_name)).content.decode()
    examples = re.findall(r"<pre\b[^>]*>(.*?)</pre>", page, re.S)
    assert len(examples) == 1, f"{url_name}: {len(examples)} examples"
    _imports_as_shown(tmp_path, command, html.unescape(examples[0]))


def test_every_personal_identity_number_given_as_an_example_is_valid(client, users_by_role):
    client.force_login(users_by_role["administrator"])
    texts = [README.read_text(encoding="utf-8")]
    texts += [client.get(reverse(url_name)).content.decode() for url_name, _r, _c in PAGES]
    texts.append(client.get(reverse("pensions:signal_list_import")).content.decode())
    numbers = {n for text in texts for n in re.findall(r"\b(?:19|20)\d{6}-\d{4}\b", text)}
    assert numbers, "no example numbers found"
    assert not [n for n in numbers if not personnummer.valid(n)], sorted(numbers)
