"""Pages of payroll cases. Each view checks its permission first; every object is
looked up through the unit-scoped selectors, so another unit's object is a 404."""

from .cases import (
    _act,
    case_approve,
    case_arrived,
    case_assign,
    case_cancel,
    case_complete,
    case_create,
    case_detail,
    case_export,
    case_export_file,
    case_export_job,
    case_export_start,
    case_export_status,
    case_list,
    case_register,
    case_return,
    cover_letter,
    queue,
)
from .control import (
    control_check,
    control_detail,
    control_draw,
    control_list,
)
from .desk import document, document_add, note_add
from .distribution import assign as workload_assign
from .distribution import workload
from .imports import (
    _import_job,
    import_detail,
    import_list,
    import_rerun,
    import_status,
    import_upload,
)

__all__ = [
    "_act",
    "_import_job",
    "case_approve",
    "case_arrived",
    "case_assign",
    "case_cancel",
    "case_complete",
    "case_create",
    "case_detail",
    "case_export",
    "case_export_file",
    "case_export_job",
    "case_export_start",
    "case_export_status",
    "case_list",
    "case_register",
    "case_return",
    "control_check",
    "control_detail",
    "control_draw",
    "control_list",
    "cover_letter",
    "document",
    "document_add",
    "import_detail",
    "import_list",
    "import_rerun",
    "import_status",
    "import_upload",
    "note_add",
    "queue",
    "workload",
    "workload_assign",
]
