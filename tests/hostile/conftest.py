import pytest

from tests import factories

from .imports import AGENCY


@pytest.fixture
def world(unit):
    """Unit lon1 and the agency the payslip and signal files name."""
    factories.AgencyFactory(code=AGENCY, name="Värdförvaltning", unit=unit)
    return {"unit": unit}


_BAD_INPUT: dict[str, set[str]] = {}


@pytest.fixture
def bad_input():
    """Where the bad-file test notes which kinds each import refused (summed up at the end of the run)."""
    return _BAD_INPUT


def pytest_terminal_summary(terminalreporter):
    for name, kinds in sorted(_BAD_INPUT.items()):
        terminalreporter.write_line(f"hostile input: {name} refused {len(kinds)} kinds of bad file")
