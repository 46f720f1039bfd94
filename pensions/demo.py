"""Demo data for pensions (filled in by its own issue)."""


def load(*, users) -> None:
    pass
