"""Payroll's models, one module per concern: cases (with their status changes and returns), the
monthly payslip imports, internal control, deviations (the centre's own errors), and the monthly
volume aggregate."""

from .cases import (
    CHANNEL_SHORT,
    MACHINE_CHANNELS,
    MANUAL_CHANNELS,
    NOT_COMPLETED,
    CaseReturn,
    Channel,
    DocumentType,
    MissingItem,
    PayrollCase,
    StatusChange,
)
from .control import ControlCheck, ControlSample
from .deviations import Deviation
from .documents import CaseDocument, CaseNote
from .exports import CaseExport
from .imports import PAYSLIP_IMPORTS, PayslipImport
from .volumes import AggregatedPeriod, MonthlyVolume, PayslipCount

__all__ = [
    "CHANNEL_SHORT",
    "MACHINE_CHANNELS",
    "MANUAL_CHANNELS",
    "NOT_COMPLETED",
    "PAYSLIP_IMPORTS",
    "AggregatedPeriod",
    "CaseDocument",
    "CaseExport",
    "CaseNote",
    "CaseReturn",
    "Channel",
    "ControlCheck",
    "ControlSample",
    "Deviation",
    "DocumentType",
    "MissingItem",
    "MonthlyVolume",
    "PayrollCase",
    "PayslipCount",
    "PayslipImport",
    "StatusChange",
]
