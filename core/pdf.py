"""PDF documents (invoices, cover letters, reports) rendered with WeasyPrint from templates.

WeasyPrint is imported on first use: it takes ~0.5 s to load, and most processes
that import this module (the payslip import, for one) never render a PDF.
"""

from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, {"service_centre": settings.SERVICE_CENTRE, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only_fetcher()).write_pdf()


@cache
def _local_only_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """PDFs may only load the app's own files, static files and data: URIs (charts), never the network."""

        def fetch(self, url, headers=None):
            if url.startswith(("file://", "data:")):
                return super().fetch(url, headers)
            if url.startswith(("static/", "/static/")):
                path = finders.find(url.split("static/", 1)[1])
                if path:
                    return super().fetch(f"file://{path}", headers)
            raise ValueError(f"PDF resource not allowed: {url}")

    return LocalOnlyFetcher


def _local_only_fetcher():
    return _local_only_fetcher_class()()
