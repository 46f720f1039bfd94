"""PDF documents (invoices, cover letters, reports) rendered with WeasyPrint from templates."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, {"service_centre": settings.SERVICE_CENTRE, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalOnlyFetcher()).write_pdf()


class LocalOnlyFetcher(URLFetcher):
    """PDFs may only load the app's own files and static files and data: URIs (charts), never the network."""

    def fetch(self, url, headers=None):
        if url.startswith(("file://", "data:")):
            return super().fetch(url, headers)
        if url.startswith("static/") or url.startswith("/static/"):
            path = finders.find(url.split("static/", 1)[1])
            if path:
                return super().fetch(f"file://{path}", headers)
        raise ValueError(f"PDF resource not allowed: {url}")
