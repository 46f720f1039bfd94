import pytest

_IDOR_CHECKS: list[tuple[str, int]] = []
_BAD_INPUT: dict[str, set[str]] = {}


@pytest.fixture
def idor():
    """Where the IDOR test notes its URL × role × object checks (summed up at the end of the run)."""
    return _IDOR_CHECKS


@pytest.fixture
def bad_input():
    """Where the hostile-input tests note which kinds of bad file each import was given."""
    return _BAD_INPUT


def pytest_terminal_summary(terminalreporter):
    if _IDOR_CHECKS:
        total = sum(n for _name, n in _IDOR_CHECKS)
        terminalreporter.write_line(
            f"IDOR: {total} URL × role × object checks on {len(_IDOR_CHECKS)} URLs of another unit's objects"
        )
    if _BAD_INPUT:
        for name, kinds in sorted(_BAD_INPUT.items()):
            terminalreporter.write_line(f"hostile input: {name}: {len(kinds)} kinds of bad file")
