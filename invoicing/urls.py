from django.urls import path

from . import views, views_disputes

app_name = "invoicing"

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/einvoice.xml", views.invoice_einvoice, name="invoice_einvoice"),
    path("invoices/<int:pk>/credit/", views.invoice_credit, name="invoice_credit"),
    path("invoices/<int:pk>/reissue/", views.invoice_reissue, name="invoice_reissue"),
    path("disputes/", views_disputes.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/answer/", views_disputes.dispute_answer, name="dispute_answer"),
    path("invoices/month/<str:period>/pdfs.zip", views.invoice_zip, name="invoice_zip"),
    path("invoices/month/<str:period>/pdfs/status/", views.invoice_zip_status, name="invoice_zip_status"),
    path("invoices/month/<str:period>/agresso.csv", views.erp_file, name="erp_file"),
    path("drafts/", views.draft_list, name="draft_list"),
    path("drafts/<str:period>/<int:agency_pk>/", views.draft_detail, name="draft_detail"),
    path("invoices/month/<str:period>/vouchers.se", views.sie_file, name="sie_file"),
    path("invoices/month/<str:period>/reconciliation/", views.reconciliation_page, name="reconciliation"),
    path("close/", views.close_list, name="close_list"),
    path("close/<int:pk>/", views.close_detail, name="close_detail"),
    path("close/<int:pk>/status/", views.close_status, name="close_status"),
    path("close/<int:pk>/issue/<int:agency_pk>/", views.close_issue_held, name="close_issue_held"),
    path("close/<int:pk>/pdfs/retry/", views.close_retry_pdfs, name="close_retry_pdfs"),
]
