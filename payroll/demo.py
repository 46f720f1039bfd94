"""Demo data for payroll (filled in by its own issue)."""


def load(*, users) -> None:
    pass
