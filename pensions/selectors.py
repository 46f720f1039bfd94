"""Reads of pension work shared by pages, reports and the monthly close."""


def billable_counts(*, billing_period: str) -> dict[int, dict[str, int]]:
    """Invoiceable pension work per agency id and price-list item code in ``billing_period``.

    Filled in by the pensions issue; the monthly close relies on this signature.
    """
    return {}
