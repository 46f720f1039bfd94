"""Pages for agencies, their agreements and contacts, the customer log and complaints.

Every view checks its permission first; objects are fetched through the selectors'
``*_for(user, pk)`` lookups, so another unit's object answers 404. Create and edit pages
share one pattern (``core.views.form_page``).
"""

from .agencies import (
    agency_create,
    agency_deactivate,
    agency_detail,
    agency_edit,
    agency_import,
    agency_list,
    agency_reactivate,
)
from .agreements import (
    addon_create,
    addon_detail,
    addon_edit,
    addon_hours_delete,
    agreement_create,
    agreement_document,
    agreement_edit,
    contact_create,
    contact_delete,
    contact_edit,
)
from .centre_forms import form_list, form_upload, form_version_download
from .complaints import complaint_create, complaint_detail, complaint_handle, complaint_list, complaint_summary
from .log import log_create, log_edit, log_list, meetings
from .messages import message_create, message_list
from .notices import notice_resend

__all__ = [
    "addon_create",
    "addon_detail",
    "addon_edit",
    "addon_hours_delete",
    "agency_create",
    "agency_deactivate",
    "agency_detail",
    "agency_edit",
    "agency_import",
    "agency_list",
    "agency_reactivate",
    "agreement_create",
    "agreement_document",
    "agreement_edit",
    "complaint_create",
    "complaint_detail",
    "complaint_handle",
    "complaint_list",
    "complaint_summary",
    "contact_create",
    "contact_delete",
    "contact_edit",
    "form_list",
    "form_upload",
    "form_version_download",
    "log_create",
    "log_edit",
    "log_list",
    "meetings",
    "message_create",
    "message_list",
    "notice_resend",
]
