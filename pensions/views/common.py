"""What the pension pages share: permissions, the unit-scoped case lookup, logging unmasked views."""

from django.shortcuts import get_object_or_404

from people.identity import log_unmasked_view

from .. import selectors
from ..models import PensionCase

VIEW = "pensions.view_pensioncase"
CHANGE = "pensions.change_pensioncase"
PER_PAGE = 25


def log_shown(user, table, context: str) -> None:
    """Log the protected people a table page shows unmasked (nothing when the user sees them masked)."""
    people = [row.record.person for row in table.page.object_list] if table.page else []
    log_unmasked_view(user, people, context)


def case_or_404(user, pk) -> PensionCase:
    return get_object_or_404(selectors.cases_for(user), pk=pk)
