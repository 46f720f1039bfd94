"""Demo data for staffing (filled in by its own issue)."""


def load(*, users) -> None:
    pass
