import pytest

_IDOR_CHECKS: list[tuple[str, int]] = []


@pytest.fixture
def idor():
    """Where the IDOR test notes its URL × role × object checks (summed up at the end of the run)."""
    return _IDOR_CHECKS


def pytest_terminal_summary(terminalreporter):
    objects = [(name, n) for name, n in _IDOR_CHECKS if not name.startswith("list:")]
    lists = [(name, n) for name, n in _IDOR_CHECKS if name.startswith("list:")]
    if objects:
        terminalreporter.write_line(
            f"IDOR: {sum(n for _, n in objects)} URL × role × object checks on {len(objects)} URLs "
            "naming another unit's object"
        )
    if lists:
        terminalreporter.write_line(
            f"IDOR: {sum(n for _, n in lists)} list/export × role checks on {len(lists)} lists and exports"
        )
