"""Demo data for pricing (filled in by its own issue)."""


def load(*, users) -> None:
    pass
