"""The pension pages. Each view checks its permission first; cases and signals are read through
the unit-scoped selectors, so another unit's are a 404."""

from .case import (
    case_action,
    case_assign,
    case_create,
    case_detail,
    case_edit,
)
from .desk import document, document_add, note_add
from .lists import (
    case_export,
    case_list,
    queue,
)
from .signals import (
    signal_item_case,
    signal_item_handle,
    signal_item_reopen,
    signal_list_detail,
    signal_list_import,
    signal_lists,
)
from .weekly import (
    weekly,
)

__all__ = [
    "document",
    "document_add",
    "note_add",
    "case_action",
    "case_assign",
    "case_create",
    "case_detail",
    "case_edit",
    "case_export",
    "case_list",
    "queue",
    "signal_item_case",
    "signal_item_handle",
    "signal_item_reopen",
    "signal_list_detail",
    "signal_list_import",
    "signal_lists",
    "weekly",
]
