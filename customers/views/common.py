"""What the customer pages share: downloads, the one form page, the agency named in a query."""

from django.utils.translation import gettext as _

from core.exports import csv_bytes, download, xlsx_bytes
from core.views import form_page

PER_PAGE = 25


def export(fmt: str, header: list[str], rows, filename: str, title: str):
    if fmt == "xlsx":
        return download(xlsx_bytes(header, rows, title=title), f"{filename}.xlsx")
    return download(csv_bytes(header, rows), f"{filename}.csv")


def edit_page(
    request,
    form,
    *,
    save,
    success,
    next_url,
    title,
    cancel_url,
    submit=None,
    intro="",
    multipart=False,
    agency=None,
):
    """A create or edit page of the customer register (``core.views.form_page`` on customers/form.html)."""
    return form_page(
        request,
        form,
        save=save,
        success=success,
        next_url=next_url,
        template="customers/form.html",
        context={
            "title": title,
            "cancel_url": cancel_url,
            "submit_label": submit or _("Save"),
            "intro": intro,
            "multipart": multipart,
            "agency": agency,
        },
    )


def agency_from_query(request, agencies):
    pk = request.GET.get("agency")
    if pk and pk.isdigit():
        return agencies.filter(pk=pk).first()
    return None
