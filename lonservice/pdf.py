"""PDF documents (invoices, cover letters, reports) rendered with WeasyPrint from templates."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, {"service_centre": settings.SERVICE_CENTRE, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only).write_pdf()


def _local_only(url: str, *args, **kwargs):
    """PDFs may only load the app's own static files, never the network."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith(("file://", "data:")):  # data: charts embedded by reporting
        return default_url_fetcher(url, *args, **kwargs)
    if url.startswith("static/") or url.startswith("/static/"):
        path = finders.find(url.split("static/", 1)[1])
        if path:
            return default_url_fetcher(f"file://{path}", *args, **kwargs)
    raise ValueError(f"PDF resource not allowed: {url}")
