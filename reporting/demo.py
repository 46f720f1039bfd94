"""Demo data for reporting (filled in by its own issue)."""


def load(*, users) -> None:
    pass
