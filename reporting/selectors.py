"""Reads shared by reporting's pages and reports."""

from organisation.selectors import units_for


def dashboard_units(user):
    """The units whose dashboard ``user`` may open (all with view_all_units, else their own)."""
    return units_for(user).order_by("code")
