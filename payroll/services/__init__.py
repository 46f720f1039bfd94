"""Everything that changes payroll data. Views, commands, tasks and the admin call these."""

from .cases import (
    answer_return,
    approve_urgent_payout,
    assign_case,
    cancel_case,
    complete_case,
    mark_registered,
    record_document_arrived,
    register_case,
    return_case,
)
from .control import draw_control_sample, record_check, repeat_draw
from .desk import add_note, attach_document
from .deviations import register_deviation, update_deviation
from .distribution import assign_cases
from .letters import cover_letter_pdf

__all__ = [
    "add_note",
    "attach_document",
    "approve_urgent_payout",
    "assign_cases",
    "assign_case",
    "cancel_case",
    "complete_case",
    "cover_letter_pdf",
    "draw_control_sample",
    "mark_registered",
    "record_check",
    "register_deviation",
    "update_deviation",
    "answer_return",
    "record_document_arrived",
    "register_case",
    "repeat_draw",
    "return_case",
]
