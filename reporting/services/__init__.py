"""Write-side rules of reporting: invoices (issue, credit, re-invoice), the monthly close, reports."""
