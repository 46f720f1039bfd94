"""Mutation testing of the core rules: `make mutation` (all modules) or `make mutation MODULES="clock pricing"`.

Each module is mutated by mutmut 3 and tested with only its own tests (SQLite, one process, -x); mutmut runs
for each mutant only the tests that call the mutated function. Results go to bench/mutation.json (one entry a
module, so a run of one module keeps the others) and the summary to bench/mutation.md.

Two things mutmut leaves alone are reached here:
- decorated functions: mutmut skips them. Functions whose decorators are all known to be harmless when
  applied twice (@transaction.atomic, @property, @cached_property, @staticmethod, @classmethod) are mutated:
  the decorators stay on the trampoline and are stripped from its copies. Pure caches (@lru_cache, @cache)
  are dropped from the mutated file, since a cache filled by the stats run would hide a mutant.
- module-level constants: mutmut mutates only functions. CONSTANT_MUTANTS below are hand-made mutants of
  the constants that carry a business value; each is written into the mutated copy and the module's tests
  are run against it.

A module with ``postgres=True`` has code that runs only on PostgreSQL (advisory locks, row locks, a second
connection). After its SQLite run, the mutants that survived there are run again on PostgreSQL
(MUTATION_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lonservice; test database
MUTATION_TEST_DATABASE_NAME, default test_<name>_mutation) by a second mutmut run in a directory of its own
(.mutation/<module>-postgresql): its stats are collected on PostgreSQL, so each mutant runs the tests that
reach its function there. A mutant killed there counts as killed, marked "database": "postgresql".

Run it from the repository root; it writes a mutants/ directory there (removed at the start of each module).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "mutation.json"
SUMMARY = ROOT / "bench" / "mutation.md"
# Each module works in a directory of its own (links to the project's top-level entries), where mutmut
# keeps its mutants/ and results: `--again` re-runs only the survivors there after tests were added.
WORK = ROOT / ".mutation"


@dataclass
class Module:
    title: str
    sources: list[str]
    tests: list[str]
    constants: list[tuple[str, str, str]] = field(default_factory=list)  # (path, original text, mutated text)
    equivalent: dict[str, str] = field(default_factory=dict)  # mutant name -> why it changes nothing
    postgres: bool = False  # the SQLite survivors are run again on PostgreSQL (see the module docstring)


MODULES: dict[str, Module] = {
    "workdays": Module(
        "Swedish working days",
        ["core/workdays.py"],
        ["tests/core/test_shared.py", "tests/core/test_rules_pinned.py"],
        equivalent={
            **dict.fromkeys(
                [f"core.workdays.x__holidays_for__mutmut_{n}" for n in (4, 8, 12)],
                "whether the holiday set lists Sundays does not matter: is_working_day refuses weekends first",
            ),
            **dict.fromkeys(
                [f"core.workdays.x_add_working_days__mutmut_{n}" for n in (5, 6)],
                "with count 0 the direction is never used (nothing remains to count); for an int >= 1 is > 0",
            ),
            "core.workdays.x_working_days_between__mutmut_1": "when end == start the range is empty: the sum is 0",
        },
    ),
    "periods": Module(
        "Periods",
        ["core/periods.py"],
        ["tests/core/test_shared.py", "tests/core/test_rules_pinned.py"],
        constants=[
            (
                "core/periods.py",
                'PERIOD_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")',
                'PERIOD_RE = re.compile(r"^([0-9]{4})-(0[0-9]|1[0-2])$")',
            ),
            (
                "core/periods.py",
                'PERIOD_REGEX = r"^[0-9]{4}-(0[1-9]|1[0-2])$"',
                'PERIOD_REGEX = r"^[0-9]{4}-(0[1-9]|1[0-9])$"',
            ),
            ("core/periods.py", "FIRST_YEAR, LAST_YEAR = 1900, 2100", "FIRST_YEAR, LAST_YEAR = 1901, 2100"),
            ("core/periods.py", "FIRST_YEAR, LAST_YEAR = 1900, 2100", "FIRST_YEAR, LAST_YEAR = 1900, 2099"),
        ],
        equivalent={
            "core.periods.x__split__mutmut_4": 'an empty value read as "XXXX" is refused with the same error',
        },
    ),
    "identity": Module(
        "Identity numbers and masking",
        ["people/identity.py"],
        ["tests/people/test_identity.py", "tests/people/test_identity_rules.py"],
        constants=[
            ("people/identity.py", 'MASK = "******-****"', 'MASK = "******-***"'),
            (
                "people/identity.py",
                'VIEW_PROTECTED_PERMISSION = "people.view_protected_identity"',
                'VIEW_PROTECTED_PERMISSION = "people.view_person"',
            ),
        ],
        equivalent={
            **dict.fromkeys(
                [f"people.identity.x_normalize_personnummer__mutmut_{n}" for n in (27, 28, 29)],
                "the short format ends in the same four digits as the long one",
            ),
            "people.identity.x_context_label__mutmut_7": 'no context pattern matches "XXXX" any more than ""',
            "people.identity.x_context_label__mutmut_25": "a label without placeholders formatted with {} is the label",
            "people.identity.x__canonical__mutmut_11": "day 60 is no date either way: as a birth day (60) or as a "
            "coordination day (60 - 60 = 0)",
            "people.identity.x__canonical__mutmut_41": "the negated sum is a multiple of 10 exactly when the sum is",
        },
    ),
    "clock": Module(
        "Lead-time clock",
        ["payroll/clock.py"],
        ["tests/payroll/test_clock_rules.py", "tests/payroll/test_deadlines.py"],
        constants=[
            ("payroll/clock.py", "DEFAULT_LEAD_TIME_DAYS = 5", "DEFAULT_LEAD_TIME_DAYS = 6"),
            ("payroll/clock.py", "DUE_SOON_WORKING_DAYS = 2", "DUE_SOON_WORKING_DAYS = 3"),
        ],
    ),
    "csv": Module(
        "CSV reader and importer shape",
        ["core/csvimport.py", "core/importing.py"],
        [
            "tests/core/test_shared.py",
            "tests/core/test_rules_pinned.py",
            "tests/customers/test_import_agencies.py",
            "tests/pricing/test_import_price_list.py",
        ],
        constants=[
            ("core/csvimport.py", "MAX_ERRORS = 100", "MAX_ERRORS = 101"),
            ("core/csvimport.py", "MAX_CELL_LENGTH = 1000", "MAX_CELL_LENGTH = 1001"),
            ("core/csvimport.py", "MAX_LINE_LENGTH = 64 * 1024", "MAX_LINE_LENGTH = 65 * 1024"),
            ("core/csvimport.py", r"[\x00-\x08\x0b", r"[\x01-\x08\x0b"),
            ("core/csvimport.py", r"[\r\n\u2028\u2029\x85]", r"[\r\n\u2029\x85]"),
        ],
        equivalent={
            "core.csvimport.x_parse_decimal__mutmut_16": 'a missing value read as "XXXX" is refused just the same',
            **dict.fromkeys(
                [f"core.csvimport.x_parse_decimal__mutmut_{n}" for n in (25, 27, 35, 37)],
                "no caller reads the ValueError's argument: each names the cell itself",
            ),
            "core.csvimport.x_parse_decimal__mutmut_31": "quantize reads only the quantum's exponent",
            **dict.fromkeys(
                [f"core.csvimport.x_check_row_shape__mutmut_{n}" for n in (28, 32)],
                "the one-pass look at the joined row only lets a clean row skip the cell-by-cell check, "
                "which comes to the same verdict for it",
            ),
            **dict.fromkeys(
                [f"core.csvimport.x_open_text__mutmut_{n}" for n in (21, 37)],
                "codec names are case-insensitive",
            ),
            "core.csvimport.x_open_text__mutmut_24": "a bad byte the sample lets through refuses the file with "
            "the same message when its line is read (_lines, the header's readline)",
            **dict.fromkeys(
                [f"core.csvimport.x_read_rows__mutmut_{n}" for n in (139, 140, 141)],
                "unreachable: over lines read with newline='' the default dialect raises csv.Error only for a "
                "field over the reader's limit (200,000 random rows of quotes, delimiters, CR, LF and NUL "
                "raised nothing else)",
            ),
            "core.csvimport.x_read_rows__mutmut_20": "reading one character more still finds a header over "
            "the limit longer than the limit, and a header within it is read whole either way",
            "core.csvimport.x__lines__mutmut_6": "reading one character more still finds a line over the limit "
            "longer than the limit, and a line within it is read whole either way",
            **dict.fromkeys(
                [f"core.csvimport.x__too_long_message__mutmut_{n}" for n in (10, 12, 13)]
                + [f"core.csvimport.x_read_rows__mutmut_{n}" for n in (40, 42, 43)],
                "USE_THOUSAND_SEPARATOR is on, so number_format groups the digits without force_grouping",
            ),
            **dict.fromkeys(
                [f"core.importing.xǁImportCommandǁadd_arguments__mutmut_{n}" for n in (3, 6)],
                "only the command's --help text",
            ),
        },
    ),
    "pricing": Module(
        "Pricing engine",
        ["pricing/services.py"],
        [
            "tests/pricing/test_engine.py",
            "tests/pricing/test_price_lists.py",
            "tests/pricing/test_rules_pinned.py",
            "tests/pricing/test_import_price_list.py",
            "tests/pricing/test_engine_rules.py",
            "tests/pricing/test_pricing_rules_pinned.py",
        ],
        constants=[
            ("pricing/services.py", 'ORE = Decimal("0.01")', 'ORE = Decimal("0.1")'),
            ("pricing/services.py", "{1,40}", "{1,41}"),
            (
                "pricing/services.py",
                'MAX_PRICE = Decimal("999999999999.99")',
                'MAX_PRICE = Decimal("9999999999999.99")',
            ),
        ],
        equivalent={
            **dict.fromkeys(
                [f"pricing.services.x_price_lines__mutmut_{n}" for n in (7, 8)]
                + [f"pricing.services.x_new_price_list_version__mutmut_{n}" for n in (71, 73, 88)]
                + ["pricing.services.x__fixed_monthly_lines__mutmut_3"],
                "select_related only saves queries: the related row is read either way",
            ),
            **dict.fromkeys(
                [f"pricing.services.x_price_lines__mutmut_{n}" for n in (11, 13)],
                "items of codes not asked for are read but never used",
            ),
            "pricing.services.x_check_items__mutmut_7": 'a missing code read as "XXXX" is refused just the same '
            "(no upper-case code matches)",
            "pricing.services.x_check_items__mutmut_36": "only whether a code was seen is read, never where",
            **dict.fromkeys(
                [f"pricing.services.x__fixed_monthly_lines__mutmut_{n}" for n in (34, 36)],
                "amounts are stored with two decimals: quantizing them to öre never rounds",
            ),
            "pricing.services.x__write_items__mutmut_23": "a new item always differs from its spec (its price is "
            "unset), and saving an unchanged item writes the values it has",
            **dict.fromkeys(
                [f"pricing.services.x__write_items__mutmut_{n}" for n in (45, 51)],
                "saving every field of an item just saved or read writes the values it has",
            ),
            "pricing.services.x_create_price_list__mutmut_35": "a price list's version defaults to 1",
            **dict.fromkeys(
                [f"pricing.services.x_freeze_price_list__mutmut_{n}" for n in (5, 13)],
                "saving every field of the row just read under lock writes the same values as saving frozen_at only",
            ),
            **dict.fromkeys(
                ["pricing.services.x_decide_price_list__mutmut_13", "pricing.services.x_mark_as_draft__mutmut_6"],
                "saving every field of the row just read under lock writes the same values as saving the "
                "decision's three only",
            ),
            "pricing.services.x_update_price_list__mutmut_39": "saving every field of the row just read under lock "
            "writes the same values as saving the changed ones only",
        },
    ),
    "invoicing": Module(
        "Invoicing and numbering",
        [
            "invoicing/services/invoices.py",
            "invoicing/services/close.py",
            "invoicing/services/close_order.py",
            "invoicing/services/month_zip.py",
        ],
        [
            "tests/invoicing/test_invoices.py",
            "tests/invoicing/test_close.py",
            "tests/invoicing/test_close_order.py",
            "tests/invoicing/test_rules_pinned.py",
            "tests/invoicing/test_month_zip.py",
            "tests/invoicing/test_invoicing_rules.py",
            "tests/invoicing/test_issuing_rules.py",
            "tests/invoicing/test_close_rules.py",
        ],
        constants=[
            (
                "invoicing/services/month_zip.py",
                "STALE_AFTER = dt.timedelta(minutes=30)",
                "STALE_AFTER = dt.timedelta(minutes=300)",
            ),
        ],
        postgres=True,
        equivalent={
            "invoicing.services.invoices.x_reissue_price_list__mutmut_2": "select_related only saves a query: "
            "the list is read either way",
            "invoicing.services.invoices.x_reissue_price_list__mutmut_9": "a credit note copies its original's "
            "revision and price list, so the highest revision of the month names the same list with or "
            "without the credit notes",
            "invoicing.services.invoices.x_issue_invoice__mutmut_31": "an invoice's kind defaults to invoice",
            "invoicing.services.close.x_close_month__mutmut_49": "the close's shared set of frozen lists only "
            "saves lookups: without it each invoice looks for its unfrozen lists again and finds the ones "
            "frozen before it frozen",
            "invoicing.services.close_order.x_unclosed_months_before__mutmut_4": "when the first month is the "
            "month asked for, the months from it to the month before are none: the list is empty either way",
            "invoicing.services.close.x__run_close_job__mutmut_48": "held is only tested for truth, and None is "
            "false like []: close_month sets job.held whenever it goes past the closed-month check",
            "invoicing.services.close.x__month_lock_held__mutmut_10": "SQL keywords are case-insensitive and the "
            "string literals are unchanged (PostgreSQL; off it the query is not run)",
            "invoicing.services.close.xǁ_Progressǁ__call____mutmut_13": "SQL keywords are case-insensitive and the "
            "identifiers are lower-case already (PostgreSQL; off it the statement is not run)",
            "invoicing.services.close.x_run_scheduled_close__mutmut_5": "for a closed month "
            "create_close_jobs_in_order refuses with CloseError before making a job, which "
            "run_scheduled_close answers with None too",
            "invoicing.services.month_zip.x__contents__mutmut_18": "the last id is compared only together with "
            "the count: a month without invoices counts 0 and any invoice issued for it changes the count, "
            "and no invoice of the month has an id <= 1 once the zip found none",
            "invoicing.services.month_zip.x_request_build__mutmut_1": "None and False are both false: "
            "created is only read by `not created`",
            "invoicing.services.month_zip.x_request_build__mutmut_18": "saving every field of the row just "
            "read writes the same values as saving the three changed ones only",
            **dict.fromkeys(
                [f"invoicing.services.month_zip.x_build__mutmut_{n}" for n in (67, 70, 72)],
                "the record saved with the file is saved again, every field, three lines on in the same "
                "try: saving it with the file as well writes nothing that stays",
            ),
            **dict.fromkeys(
                [f"invoicing.services.month_zip.x_build__mutmut_{n}" for n in (63, 64)],
                'a record without a file has the name "": old is false either way, and with "XXXX" the '
                "storage is asked to delete a name it does not hold, which it ignores",
            ),
        },
    ),
    "quantities": Module(
        "The close's quantities",
        ["invoicing/services/month.py", "payroll/billing.py", "core/billing.py"],
        [
            "tests/payroll/test_billing.py",
            "tests/invoicing/test_close.py",
            "tests/invoicing/test_rules_pinned.py",
            "tests/invoicing/test_invoicing_rules.py",
            "tests/invoicing/test_quantity_rules.py",
            "tests/payroll/test_billing_rules.py",
            "tests/core/test_billing_rules.py",
            "tests/invoicing/test_price_month_reads.py",
        ],
        constants=[
            ("invoicing/services/month.py", '{"timme", "timmar",', '{"timmar",'),
            ("invoicing/services/month.py", '"pension_case", "addon_hour"]', '"addon_hour", "pension_case"]'),
        ],
        equivalent={
            **dict.fromkeys(
                [f"payroll.billing.x__billed_urgent_payouts__mutmut_{n}" for n in range(11, 18)]
                + [f"payroll.billing.x_cases_behind_lines__mutmut_{n}" for n in range(62, 66)],
                "only() only saves queries: a field left out is read from the database when it is used, "
                "and the primary key is always read",
            ),
            **dict.fromkeys(
                [f"payroll.billing.x__urgent_payouts__mutmut_{n}" for n in (16, 17)],
                "the Exists only narrows the rows read (the agencies asked for stay narrowed by agency): "
                "the rows are grouped by employee, agency and pay period in Python, and a group with no row "
                "billed in the period carries nothing in it",
            ),
            "payroll.billing.x_registered_cases_without_payslip_line__mutmut_26": "an imported payslip line "
            "is its own payslip line: ~Exists(line) leaves it out without the source filter",
            "invoicing.services.month.x_check_addon_items__mutmut_29": 'a missing item\'s unit read as "XXXX" '
            'is no hourly unit any more than ""',
            "invoicing.services.month.x__in_order__mutmut_11": "99 and 100 both sort after every index of "
            "LINE_ORDER (0-6); the code orders the rest",
            "invoicing.services.month.x_price_agency_month__mutmut_18": "fixed_monthly=None is false like "
            "False: price_lines only tests it with if",
            "invoicing.services.month.xǁAgencyMonthǁtotal__mutmut_4": "sum starts at 0 when no start is given",
            "invoicing.services.month.x__agencies_with_fixed_monthly__mutmut_20": "values_list(flat=True) "
            "without a field lists the model's first field, its pk",
        },
    ),
    "drafts": Module(
        "Draft-invoice engine",
        ["invoicing/services/drafts.py"],
        ["tests/invoicing/test_drafts.py", "tests/invoicing/test_draft_rules.py"],
        constants=[("invoicing/services/drafts.py", 'ZERO = Decimal("0.00")', 'ZERO = Decimal("0")')],
        equivalent={
            "invoicing.services.drafts.x__draft__mutmut_4": "no priced line has quantity zero: price_lines leaves "
            "out items of quantity zero and a fixed monthly amount is a line of one",
            **dict.fromkeys(
                [
                    "invoicing.services.drafts.x__draft__mutmut_84",
                    "invoicing.services.drafts.xǁDraftǁtotal__mutmut_4",
                    'invoicing/services/drafts.py: ZERO = Decimal("0.00") → ZERO = Decimal("0")',
                ],
                'only the exponent of a zero changes: 0 == Decimal("0.00"), sums and differences keep the '
                "other terms' öre, and the pages show every figure with fixed decimals (|sek, |number:2)",
            ),
            "invoicing.services.drafts.x__last_month__mutmut_6": "prefetch_related only saves queries: "
            "the lines are read either way",
            **dict.fromkeys(
                [f"invoicing.services.drafts.x__last_month__mutmut_{n}" for n in (13, 42, 44)],
                "other agencies' figures are read but never used: draft_invoices makes drafts only for the "
                "agencies asked for (last.get of their ids, agencies.filter for the rest)",
            ),
            "invoicing.services.drafts.x__last_month__mutmut_45": "unreachable: price_month never raises "
            "NoPriceList (an agency it cannot price comes back held, without lines)",
            "invoicing.services.drafts.x_draft_invoices__mutmut_34": "AgencyMonth's specification defaults "
            "to a new empty dict",
        },
    ),
    "sie": Module(
        "SIE writer",
        ["invoicing/sie.py"],
        ["tests/invoicing/test_ledger.py", "tests/invoicing/test_sie_rules.py"],
        constants=[
            ("invoicing/sie.py", 'RESPONSIBILITY_DIMENSION = "1"', 'RESPONSIBILITY_DIMENSION = "2"'),
            ("invoicing/sie.py", 'ACTIVITY_DIMENSION = "20"', 'ACTIVITY_DIMENSION = "21"'),
            ("invoicing/sie.py", 'ENCODING = "cp437"', 'ENCODING = "latin-1"'),
            (
                "invoicing/sie.py",
                '"pension_case": "Intäkter pensionsärenden, internt"',
                '"pension_case": "Intäkter, internt"',
            ),
        ],
        equivalent={
            **dict.fromkeys(
                [f"invoicing.sie.x_sie_file__mutmut_{n}" for n in (7, 8)],
                "select_related/prefetch_related only save queries",
            ),
            "invoicing.sie.x_parse__mutmut_42": "shlex.split of an empty rest is [] too",
        },
    ),
    "ubl": Module(
        "UBL (Peppol) writer",
        ["invoicing/peppol.py"],
        ["tests/invoicing/test_peppol_rules.py", "tests/invoicing/test_peppol.py"],
        constants=[
            ("invoicing/peppol.py", "billing:3.0", "billing:2.0"),
            ("invoicing/peppol.py", "billing:01:1.0", "billing:02:1.0"),
            ("invoicing/peppol.py", 'SWEDISH_ORGANISATION_NUMBER = "0007"', 'SWEDISH_ORGANISATION_NUMBER = "0088"'),
            ("invoicing/peppol.py", '{"addon_hour": "HUR"}', '{"addon_hour": "H87"}'),
            ("invoicing/peppol.py", 'PIECE = "H87"', 'PIECE = "C62"'),
            ("invoicing/peppol.py", 'PAYMENT_MEANS_CODE = "97"', 'PAYMENT_MEANS_CODE = "30"'),
            ("invoicing/peppol.py", 'VAT_CATEGORY = "O"', 'VAT_CATEGORY = "E"'),
            ("invoicing/peppol.py", 'CURRENCY = "SEK"', 'CURRENCY = "EUR"'),
        ],
        equivalent={
            "invoicing.peppol.x__build__mutmut_242": "codec names are case-insensitive: ASCII is ascii",
            "invoicing.peppol.x__build__mutmut_254": "the centre gets no PartyIdentification either way: "
            "_party writes one only for a truthy identifier",
            "invoicing.peppol.x__build__mutmut_380": "a document without lines is refused above, and Decimals "
            "summed from 0 are the same Decimal as summed from 0.00 (written to the öre)",
            **dict.fromkeys(
                [f"invoicing.peppol.x_einvoice_xml__mutmut_{n}" for n in (3, 4)],
                'an unknown language ("XXsvXX") falls back to LANGUAGE_CODE, which is "sv", and "SV" is sv',
            ),
            "invoicing.peppol.x_unit_code__mutmut_1": 'a default unit of "XXXX" is no month unit any more than ""',
        },
    ),
}

# Decorators kept on the trampoline (applying them to it is enough) and stripped from its copies.
KEPT_DECORATORS = {"transaction.atomic", "atomic", "property", "cached_property", "staticmethod", "classmethod"}
# Pure caches: dropped, so a cache filled before the fork cannot answer for a mutant.
DROPPED_DECORATORS = {"lru_cache", "functools.lru_cache", "cache", "functools.cache"}

SURVIVED = {"survived", "equivalent", "other"}
RERUN = {*SURVIVED, "not checked"}
MESSAGE_CALL = re.compile(r"\b(_|gettext|gettext_lazy|ngettext|pgettext|gettext_noop)\(")


def _decorator_name(decorator) -> str:
    import libcst as cst

    node = decorator.decorator
    if isinstance(node, cst.Call):
        node = node.func
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


def _patch_mutmut() -> None:
    """Let mutmut mutate functions with harmless decorators (see the module docstring)."""
    import libcst as cst
    from libcst.metadata import PositionProvider
    from mutmut.mutation import file_mutation as fm

    original_skip = fm.MutationVisitor._skip_node_and_children
    original_arrangement = fm.function_trampoline_arrangement

    def reachable(function) -> bool:
        names = [_decorator_name(d) for d in function.decorators]
        return bool(names) and all(n in KEPT_DECORATORS | DROPPED_DECORATORS for n in names)

    def skip(self, node) -> bool:
        if isinstance(node, cst.FunctionDef) and reachable(node):
            position = self.get_metadata(PositionProvider, node, None)
            if position and position.start.line in self._ignored_node_lines:
                self.ignored_functions.add(node.name.value)
                return True
            return node.name.value in fm.NEVER_MUTATE_FUNCTION_NAMES
        return original_skip(self, node)

    def arrangement(function, mutants, class_name):
        if not function.decorators or not reachable(function):
            return original_arrangement(function, mutants, class_name)
        kept = [d for d in function.decorators if _decorator_name(d) in KEPT_DECORATORS]
        declarations, nodes, assignments, names = original_arrangement(
            function.with_changes(decorators=kept), mutants, class_name
        )
        trampoline, *copies = nodes
        # the copies are plain functions the trampoline calls; only a classmethod's copies keep theirs
        keep_on_copies = [d for d in kept if _decorator_name(d) == "classmethod"]
        copies = [c.with_changes(decorators=keep_on_copies) for c in copies]
        return declarations, [trampoline, *copies], assignments, names

    fm.MutationVisitor._skip_node_and_children = skip
    fm.function_trampoline_arrangement = arrangement


def _configure(module: Module) -> None:
    from mutmut import configuration

    def reader(key, default):
        return {
            "source_paths": module.sources,
            "also_copy": _project_files(),
            "pytest_add_cli_args": ["-p", "no:cacheprovider", "-n", "0", "-q", "--reuse-db"],
            "pytest_add_cli_args_test_selection": module.tests,
            "use_git_change_detection": False,
            "track_dependencies": False,
        }.get(key, default)

    configuration._config_reader = lambda: reader
    configuration._config = None
    configuration.config()


def _project_files() -> list[str]:
    """Everything tracked at the top level except the docs, so no import falls back to another checkout."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    tops = {line.split("/", 1)[0] for line in listed.splitlines()}
    return sorted(t for t in tops if t not in {"docs", ".ci", ".gitignore", ".gitattributes", ".dockerignore"})


def _message_lines(path: str) -> set[str]:
    """The (stripped) source lines that hold the text of a translatable message or of a help text,
    and the string literals of those texts (as "literal:" + the token)."""
    import ast

    source = Path(path).read_text()
    lines = source.splitlines()
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        spans = []
        translated = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args
        if translated and node.func.id in {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "gettext_noop"}:
            spans.append(node.args[0])
        if isinstance(node, ast.Call):
            spans += [k.value for k in node.keywords if k.arg == "help"]
        for span in spans:
            found.update(line.strip() for line in lines[span.lineno - 1 : span.end_lineno])
            segment = ast.get_source_segment(source, span) or ""
            with contextlib.suppress(tokenize.TokenError, IndentationError, SyntaxError):
                tokens = tokenize.generate_tokens(io.StringIO(segment).readline)
                found.update("literal:" + t.string for t in tokens if t.type == tokenize.STRING)
    return found


def _message_only(diff: str, message_lines: set[str]) -> bool:
    """True when a mutant changes nothing but the text of a translatable message (or a help text)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if len(removed) != len(added) or not removed:
        return False
    for before, after in zip(removed, added, strict=True):
        if not MESSAGE_CALL.search(before) and before.strip() not in message_lines:
            return False
        try:
            a = [t for t in tokenize.generate_tokens(io.StringIO(before.strip()).readline) if t.type != tokenize.STRING]
            b = [t for t in tokenize.generate_tokens(io.StringIO(after.strip()).readline) if t.type != tokenize.STRING]
        except (tokenize.TokenError, IndentationError, SyntaxError):
            return False
        if [t.string for t in a] != [t.string for t in b]:
            return False
        strings_before = [t.string for t in _tokens(before) if t.type == tokenize.STRING]
        strings_after = [t.string for t in _tokens(after) if t.type == tokenize.STRING]
        changed = [x for x, y in zip(strings_before, strings_after, strict=False) if x != y]
        if len(strings_before) != len(strings_after) or not all("literal:" + x in message_lines for x in changed):
            return False
    return True


def _tokens(line: str) -> list:
    return list(tokenize.generate_tokens(io.StringIO(line.strip()).readline))


def _run_constant_mutant(module: Module, path: str, before: str, after: str) -> str:
    target = Path("mutants") / path
    text = target.read_text()
    if text.count(before) != 1:
        raise SystemExit(f"constant mutant {before!r} must occur once in {path}")
    target.write_text(text.replace(before, after))
    env = {**os.environ, "MUTANT_UNDER_TEST": ""}
    env.pop("DATABASE_URL", None)
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *module.tests,
                "-x",
                "-q",
                "-n",
                "0",
                "-p",
                "no:cacheprovider",
                "--reuse-db",
            ],
            cwd="mutants",
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        target.write_text(text)
    if proc.returncode == 1:
        return "killed"
    if proc.returncode == 0:
        return "survived"
    raise SystemExit(f"constant mutant {before!r} -> {after!r}: pytest exited {proc.returncode}\n{proc.stdout[-3000:]}")


def _commit() -> str:
    """The commit the module ran at, marked "+changes" when tracked files other than the results differ."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/mutation.*", ":!README.md"],
        capture_output=True,
        text=True,
        check=True,
    )
    return head.stdout.strip() + (" +changes" if changed.stdout.strip() else "")


def _workdir(key: str, *, fresh: bool) -> Path:
    work = WORK / key
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    for name in _project_files():
        link = work / name
        if not link.exists() and not link.is_symlink():
            link.symlink_to(ROOT / name)
    return work


def _postgres_env() -> dict[str, str]:
    url = os.environ.get("MUTATION_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lonservice")
    name = os.environ.get("MUTATION_TEST_DATABASE_NAME", f"test_{url.rsplit('/', 1)[-1]}_mutation")
    return {"DATABASE_URL": url, "TEST_DATABASE_NAME": name}


def run_postgres_pass(key: str, module: Module, names: list[str], *, fresh: bool, collect: bool = False) -> None:
    """The mutants ``names`` (SQLite survivors) run on PostgreSQL; their statuses go to
    .mutation/<key>-postgresql/statuses.json. Run in a process of its own (mutmut keeps globals)."""
    import fcntl

    work = _workdir(f"{key}-postgresql", fresh=fresh)
    os.chdir(work)
    # one pass at a time in the directory: a second one waits for the first to end
    lock = (work / "pass.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    os.environ.update(_postgres_env())
    _patch_mutmut()
    _configure(module)

    from mutmut.__main__ import _run
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code

    def statuses() -> dict[str, str]:
        found = {}
        for path in module.sources:
            if not (work / "mutants" / f"{path}.meta").exists():
                continue
            data = SourceFileMutationData(path=path)
            data.load()
            codes = data.exit_code_by_key
            found.update({n: status_by_exit_code[codes[n]] for n in names if n in codes})
        return found

    # a mutant an earlier pass killed here stays killed (as in --again); the others are run
    to_run = [n for n in names if statuses().get(n) not in ("killed", "timeout")]
    if to_run and not collect:  # with collect: a stopped pass's results as they stand
        try:
            _run(to_run, max_children=1)
        except SystemExit as stop:
            if stop.code:
                raise
    Path("statuses.json").write_text(json.dumps(statuses(), indent=1, ensure_ascii=False) + "\n")


def _on_postgres(key: str, mutants: list[dict], *, fresh: bool, collect: bool = False) -> dict:
    """Run the SQLite survivors again on PostgreSQL and mark those it kills (in place)."""
    started = time.monotonic()
    names = [m["name"] for m in mutants if m["status"] in SURVIVED and "mutmut" in m["name"]]
    if not names:
        return {"checked": 0, "killed": [], "seconds": 0}
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_NAME")}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        key,
        *([] if fresh else ["--again"]),
        *(["--collect"] if collect else []),
        "--postgres-pass",
    ]
    statuses_file = WORK / f"{key}-postgresql" / "statuses.json"
    statuses_file.unlink(missing_ok=True)
    subprocess.run([*command, *names], check=True, env=env, cwd=ROOT)
    statuses = json.loads(statuses_file.read_text())
    killed = []
    for m in mutants:
        status = statuses.get(m["name"])
        if m["name"] in names and status in ("killed", "timeout"):
            m.update(status=status, diff="", database="postgresql")
            killed.append(m["name"])
    return {"checked": len(names), "killed": killed, "seconds": round(time.monotonic() - started)}


def run_module(
    key: str, module: Module, *, again: dict | None = None, collect: bool = False, resume: bool = False
) -> dict:
    """Run mutmut over the module; with ``again`` (the module's last results), only its survivors;
    with ``collect``, nothing: the results of a run that was stopped are read as they stand."""
    started = time.monotonic()
    commit = _commit()
    if collect:
        # the run began when its working directory was linked up and ended with its last result
        began = (WORK / key / "manage.py").lstat().st_ctime
        ended = max((m.stat().st_mtime for m in (WORK / key / "mutants").rglob("*.meta")), default=time.time())
        started -= ended - began
    for path, before, _after in module.constants:
        if (ROOT / path).read_text().count(before) != 1:
            raise SystemExit(f"constant mutant {before!r} must occur once in {path}")
    os.chdir(_workdir(key, fresh=again is None and not collect))
    os.environ.pop("DATABASE_URL", None)
    # The Peppol validator looks for its rules beside the repository, which from .mutation/<key>/mutants
    # it does not find: its tests would be skipped and every mutant they alone notice would survive.
    for folder in ROOT.parents[:2]:
        rules = folder / "shared" / "peppol" / "xsl" / "PEPPOL-EN16931-UBL.xsl"
        if rules.is_file():
            os.environ.setdefault("PEPPOL_RULES", str(rules))
            break
    # One SQLite test database for the module's runs, made once (migrations) and reused by each
    # mutant's test session instead of being migrated again.
    test_database = Path("mutants.sqlite3").absolute()
    os.environ["TEST_DATABASE_NAME"] = str(test_database)
    if again is None and not collect:
        test_database.unlink(missing_ok=True)
    _patch_mutmut()
    _configure(module)

    from mutmut.__main__ import _run
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    try:
        wanted = RERUN if resume else SURVIVED
        earlier_run = (again or {}).get("mutants", [])
        survivors = [m["name"] for m in earlier_run if m["status"] in wanted and "mutmut" in m["name"]]
        if not collect and (again is None or survivors):
            _run(survivors, max_children=1)
    except SystemExit as stop:
        if stop.code:
            raise
    mutants = []
    earlier = {m["name"]: m for m in (again or {}).get("mutants", [])}
    for path in module.sources:
        message_lines = _message_lines(path)
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in sorted(data.exit_code_by_key.items()):
            if code is None and name in earlier and earlier[name]["status"] not in RERUN:
                mutants.append(earlier[name])  # decided by the last run, not run again (mutmut reset it)
                continue
            status = status_by_exit_code[code]
            if code is None:
                mutants.append({"name": name, "status": "not checked", "diff": ""})
                continue
            diff = get_diff_for_mutant(name, path=path)
            if status == "no tests":
                status = "survived"  # no test reaches it: nothing notices
            if _message_only(diff, message_lines):
                status = "message text"
            elif status == "survived" and name in module.equivalent:
                status = "equivalent"
            mutants.append({"name": name, "status": status, "diff": diff if status != "killed" else ""})
    previous = {m["name"]: m for m in (again or {}).get("mutants", [])}
    for path, before, after in module.constants:
        name = f"{path}: {before} → {after}"
        if name in previous and previous[name]["status"] not in RERUN:
            mutants.append(previous[name])
            continue
        if collect:
            mutants.append({"name": name, "status": "not checked", "diff": ""})
            continue
        status = _run_constant_mutant(module, path, before, after)
        if status == "survived" and name in module.equivalent:
            status = "equivalent"
        mutants.append({"name": name, "status": status, "diff": f"-{before}\n+{after}" if status != "killed" else ""})
    postgresql = None
    if module.postgres and (again is not None or not collect):
        os.chdir(ROOT)
        postgresql = _on_postgres(key, mutants, fresh=again is None and not collect, collect=collect)
    return {
        "title": module.title,
        "sources": module.sources,
        "tests": module.tests,
        "commit": commit,
        "seconds": round(time.monotonic() - started),
        "mutants": mutants,
        "equivalent_reasons": {m["name"]: module.equivalent[m["name"]] for m in mutants if m["status"] == "equivalent"},
        **({"postgresql": postgresql} if postgresql is not None else {}),
    }


def counts(entry: dict) -> dict[str, int]:
    result = dict.fromkeys(("killed", "timeout", "survived", "equivalent", "message text", "not checked", "other"), 0)
    for m in entry["mutants"]:
        result[m["status"] if m["status"] in result else "other"] += 1
    return result


def score(c: dict[str, int]) -> float | None:
    noticed = c["killed"] + c["timeout"]
    relevant = noticed + c["survived"] + c["other"]
    return 100 * noticed / relevant if relevant else None


def _judged(key: str, entry: dict) -> dict:
    """The entry with the survivors judged equivalent in MODULES marked so (with their reasons)."""
    equivalent = MODULES[key].equivalent
    mutants = [
        {**m, "status": "equivalent"} if m["status"] == "survived" and m["name"] in equivalent else m
        for m in entry["mutants"]
    ]
    reasons = {**entry.get("equivalent_reasons", {}), **equivalent}
    return {**entry, "mutants": mutants, "equivalent_reasons": reasons}


def _commits(entry: dict) -> str:
    """The commit of the full run, and of the re-run when it differs."""
    first = entry.get("commit_first_run", entry.get("commit", "?"))
    last = entry.get("commit", "?")
    return first if first == last else f"{first}, re-run {last}"


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min {seconds % 60:02d} s"


def write_summary(results: dict) -> None:
    results = {key: _judged(key, entry) for key, entry in results.items() if key in MODULES}
    lines = [
        "# Mutation testing of the core rules",
        "",
        "Written by `make mutation` (tools/mutation.py, mutmut 3). Each module is mutated and tested with only",
        "its own tests (SQLite, one process). *Kill share* = (killed + timeout) / every mutant that changes",
        "behaviour: mutants judged equivalent (listed below with their reason) and mutants that change only",
        "the text of a translatable message are left out. A timeout counts as noticed. *Not checked*: the",
        "run was stopped (time) before it reached them; they are left out of the share too. *Commit*: the",
        "commit of `main` the module ran at (`+changes`: with uncommitted changes to tracked files).",
        "",
        "| Module | Source | Killed | Timeout | Survived | Equivalent | Message text | Not checked | Kill share "
        "| Full run | Re-run | Commit |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key in MODULES:
        if key not in results:
            sources = ", ".join(MODULES[key].sources)
            lines.append(f"| {MODULES[key].title} | {sources} | not run |  |  |  |  |  |  |  |  |  |")
            continue
        entry = results[key]
        c = counts(entry)
        s = score(c)
        full = entry.get("seconds_first_run", entry["seconds"])
        again = _minutes(entry["seconds"]) if "seconds_first_run" in entry else "–"
        lines.append(
            f"| {entry['title']} | {', '.join(entry['sources'])} | {c['killed']} | {c['timeout']} | "
            f"{c['survived'] + c['other']} | {c['equivalent']} | {c['message text']} | {c['not checked']} | "
            f"{'–' if s is None else f'{s:.1f} %'} | {_minutes(full)} | {again} | {_commits(entry)} |"
        )
    total = sum(results[k].get("seconds_first_run", results[k]["seconds"]) for k in results)
    lines += [
        "",
        f"Full runs together: {_minutes(total)} (the sum of the modules' runs; each took as long as the load on the",
        "2 shared cores let it). *Re-run*: the survivors of the full run run again after tests were added",
        "(`--again`); the other results stand.",
        "",
    ]
    for key in MODULES:
        if key not in results:
            continue
        entry = results[key]
        lines += [f"## {entry['title']}", "", "Tests: " + ", ".join(f"`{t}`" for t in entry["tests"]), ""]
        if entry.get("note"):
            lines += [entry["note"], ""]
        on_postgres = [m["name"] for m in entry["mutants"] if m.get("database") == "postgresql"]
        if "postgresql" in entry or on_postgres:
            checked = entry.get("postgresql", {}).get("checked", "?")
            seconds = entry.get("postgresql", {}).get("seconds")
            took = f" in {_minutes(seconds)}" if seconds is not None else ""
            lines += [
                f"Checked again on PostgreSQL (the last run's {checked} SQLite survivors{took}, included in the "
                f"run's time): {len(on_postgres)} killed there"
                + (": " + ", ".join(f"`{n}`" for n in on_postgres) if on_postgres else "")
                + ".",
                "",
            ]
        constants = [m for m in entry["mutants"] if "mutmut" not in m["name"]]
        if constants:
            lines += ["Hand-made mutants of the module's constants:", ""]
            lines += [f"- `{m['name']}`: {m['status']}" for m in constants]
            lines += [""]
        equivalent = [m for m in entry["mutants"] if m["status"] == "equivalent"]
        survived = [m for m in entry["mutants"] if m["status"] in ("survived", "other")]
        if survived:
            lines += ["Survivors:", ""]
            for m in survived:
                lines += [f"- `{m['name']}`", "", "```diff", _short_diff(m["diff"]), "```", ""]
        if equivalent:
            lines += ["Equivalent (change nothing):", ""]
            for m in equivalent:
                lines += [f"- `{m['name']}`: {entry['equivalent_reasons'][m['name']]}", "", "```diff"]
                lines += [_short_diff(m["diff"]), "```", ""]
        if not survived and not equivalent:
            lines += ["Every behaviour-changing mutant is killed.", ""]
    SUMMARY.write_text("\n".join(lines).rstrip() + "\n")
    _write_readme(lines)


def _write_readme(lines: list[str]) -> None:
    """README's copy of the table (between the mutation:readme markers)."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- mutation:readme:start -->", "<!-- mutation:readme:end -->"
    if start not in text or end not in text:
        return
    table = [line for line in lines if line.startswith("|")]
    total = next(line for line in lines if line.startswith("Full runs together"))
    block = "\n".join([start, *table, "", total.split(" (")[0] + ". Details: `bench/mutation.md`.", end])
    head, rest = text.split(start, 1)
    readme.write_text(head + block + rest.split(end, 1)[1])


def _short_diff(diff: str) -> str:
    return "\n".join(
        line
        for line in diff.splitlines()
        if (line.startswith(("+", "-")) and not line.startswith(("+++", "---")))
        or not line.startswith(("+", "-", " ", "@"))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"modules to run (default: all): {', '.join(MODULES)}")
    parser.add_argument("--summary-only", action="store_true", help="rewrite bench/mutation.md from the results")
    parser.add_argument("--again", action="store_true", help="re-run only the last run's survivors of each module")
    parser.add_argument("--collect", action="store_true", help="record the results of a stopped run as they stand")
    parser.add_argument("--resume", action="store_true", help="with --again: also run the mutants not checked yet")
    parser.add_argument("--postgres-pass", nargs="+", metavar="MUTANT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postgres_pass:  # run_module's second pass, in a process of its own
        (key,) = args.modules
        run_postgres_pass(key, MODULES[key], args.postgres_pass, fresh=not args.again, collect=args.collect)
        return
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"unknown module(s): {', '.join(sorted(unknown))}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if not args.summary_only:
        for key in args.modules or list(MODULES):
            # each module in a process of its own: mutmut keeps its state in globals
            if len(args.modules) != 1:
                log = ROOT / "mutants.log"
                with log.open("a") as out:
                    command = [sys.executable, __file__, key, *(["--again"] if args.again else [])]
                    subprocess.run(command, check=True, stdout=out, stderr=subprocess.STDOUT)
                results = json.loads(RESULTS.read_text())
                c = counts(results[key])
                print(f"{key}: {results[key]['seconds']} s, kill share {score(c):.1f} % ({c})", flush=True)
                continue
            again = results.get(key) if args.again else None
            if args.again and again is None:
                raise SystemExit(f"{key} has no results to run again: run it without --again first")
            entry = run_module(key, MODULES[key], again=again, collect=args.collect, resume=args.resume)
            if again:
                entry["seconds_first_run"] = again.get("seconds_first_run", again["seconds"])
                entry["commit_first_run"] = again.get("commit_first_run", again.get("commit", "?"))
            results[key] = entry
            RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    write_summary(results)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
