from django.urls import path

from . import views, views_disputes, views_feedback, views_information

app_name = "portal"

urlpatterns = [
    path("", views.month, name="month"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/einvoice.xml", views.invoice_einvoice, name="invoice_einvoice"),
    path("invoices/<int:pk>/dispute/", views_disputes.invoice_dispute, name="invoice_dispute"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:pk>/cover-letter.pdf", views.cover_letter, name="cover_letter"),
    path("returns/<int:pk>/answer/", views.return_answer, name="return_answer"),
    path("feedback/", views_feedback.feedback_list, name="feedback_list"),
    path("feedback/new/", views_feedback.feedback_create, name="feedback_create"),
    path("messages/", views_feedback.message_list, name="message_list"),
    path("information/", views_information.information, name="information"),
    path("forms/<int:pk>/", views_information.form_download, name="form_download"),
    path("agreements/<int:pk>/interface-document/", views_information.interface_document, name="interface_document"),
]
