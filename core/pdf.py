"""PDF documents (invoices, cover letters, reports) rendered with WeasyPrint from templates.

WeasyPrint is imported on first use: it takes ~0.5 s to load, and most processes
that import this module (the payslip import, for one) never render a PDF. Each thread keeps one
font configuration (fontconfig's set-up, ~40 % of a one-page PDF's time) and the parsed shared
stylesheet (core/pdf.css) for all its PDFs.
"""

import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, {"service_centre": settings.SERVICE_CENTRE, **context})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only_fetcher())
    font_config = _font_config()
    return document.write_pdf(font_config=font_config, stylesheets=[_shared_stylesheet(font_config)])


_fonts = threading.local()
SHARED_STYLESHEET = Path(__file__).with_name("pdf.css")


def _font_config():
    """This thread's WeasyPrint font configuration (the templates load no web fonts, so it never
    changes once made; one a thread, as fontconfig's objects are not shared between threads)."""
    if getattr(_fonts, "config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts.config = FontConfiguration()
    return _fonts.config


def _shared_stylesheet(font_config):
    """This thread's parsed core/pdf.css (parsing it took ~8 % of an invoice PDF's time)."""
    if getattr(_fonts, "stylesheet", None) is None:
        from weasyprint import CSS

        _fonts.stylesheet = CSS(filename=str(SHARED_STYLESHEET), font_config=font_config)
    return _fonts.stylesheet


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
