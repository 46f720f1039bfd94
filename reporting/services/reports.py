"""The reports a user can ask for by name (page, CSV, XLSX, PDF and ``manage.py report``); each is
built once as a ``core.report.Report``."""

from invoicing.documents import invoice_report

from .productivity import productivity_report, scope_periods
from .volume import volume_report

__all__ = ["REPORTS", "invoice_report", "productivity_report", "scope_periods", "volume_report"]

REPORTS = {"volume": volume_report, "productivity": productivity_report, "invoices": invoice_report}
