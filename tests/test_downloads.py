"""Every download link a page shows returns its file, for every role, followed as clicked.

For each role the test signs in, opens the start page and every page of its navigation, then the pages
those link to (two steps from the menu, a few of each kind), and follows every link exactly as written
in the page (``?&format=pdf`` resolved against the page's own address, as a browser does). A link is a
download when it asks for a format or an export, or names a file (``.pdf``, ``.csv``, ``.xlsx``, ``.zip``)
or a document view; each must answer 200 with a file of its kind, never the HTML form again.
"""

import html
import re
from collections import Counter
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve

from customers.models import ServiceAgreement
from tests.browser import test_every_page as small_office

# The small service centre of the browser tests' every-page journey, and the role users it names.
office = small_office.office
pension_handler, head_of_service, administrator = (
    small_office.pension_handler,
    small_office.head_of_service,
    small_office.administrator,
)

ROLES = ["case_handler", "pension_handler", "unit_manager", "head_of_service", "finance", "administrator"]
HREF = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
FILE_TYPES = {
    "pdf": ("application/pdf", b"%PDF"),
    "csv": ("text/csv", None),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    "zip": ("application/zip", b"PK"),
}
DOCUMENT_VIEWS = {"customers:agreement_document", "payroll:cover_letter", "invoicing:invoice_pdf"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/logout", "/i18n/", "/accounts/logout", "/oidc/")
PER_KIND = 2  # pages followed per view and set of query names (case pages, invoice pages, sorting …);
# one download of each view, set of query names and format


def _wanted_type(url: str) -> str | None:
    """The kind of file a link asks for, or None for a page."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for name in ("format", "export"):
        if query.get(name):
            return query[name][-1]
    extension = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    if extension in FILE_TYPES:
        return extension
    try:
        if resolve(parts.path).view_name in DOCUMENT_VIEWS:
            return "document"
    except Resolver404:
        pass
    return None


def _links(page_url: str, body: str) -> list[str]:
    found = []
    for href in HREF.findall(body):
        href = html.unescape(href).strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(f"http://testserver{page_url}", href)
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.path.startswith(SKIP_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _kind(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    return name, tuple(sorted(parse_qs(parts.query, keep_blank_values=True)))


def _file_problem(url: str, wanted: str, response) -> str | None:
    if response.status_code != 200:
        return f"{url}: answered {response.status_code}"
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/html"):
        return f"{url}: answered an HTML page instead of the file"
    if "attachment" not in response.get("Content-Disposition", "") and not content_type.startswith("application/"):
        return f"{url}: no file ({content_type})"
    if not body:
        return f"{url}: an empty file"
    if wanted in FILE_TYPES:
        expected_type, magic = FILE_TYPES[wanted]
        if not content_type.startswith(expected_type):
            return f"{url}: asked for {wanted}, got {content_type}"
        if magic and not body.startswith(magic):
            return f"{url}: not a {wanted} file"
    return None


@pytest.fixture
def document_on_file(office):
    """An agency's service agreement with its interface document uploaded (a download on the agency page)."""
    agreement = ServiceAgreement.objects.order_by("pk").first()
    agreement.interface_document.save("granssnitt.pdf", ContentFile(b"%PDF-1.4 interface document"), save=False)
    agreement.interface_document_name = "Gränssnittsbeskrivning.pdf"
    agreement.save()
    return agreement


@pytest.mark.parametrize("role", ROLES)
def test_every_download_link_on_every_page_returns_its_file(request, client, role, office, document_on_file):
    client.force_login(request.getfixturevalue(role))
    start = client.get("/")
    assert start.status_code == 200
    menu = [url for url in dict.fromkeys(_links("/", start.content.decode())) if _wanted_type(url) is None]
    pages, seen, followed = ["/", *menu], set(), Counter()
    downloads, problems = {}, []
    depth = dict.fromkeys(pages, 0)
    while pages:
        url = pages.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in dict.fromkeys(_links(url, response.content.decode())):
            wanted = _wanted_type(link)
            if wanted is not None:
                kind = (*_kind(link), wanted)
                if link not in downloads and followed[kind] < 1:
                    followed[kind] += 1
                    downloads[link] = url
                    problem = _file_problem(link, wanted, client.get(link))
                    if problem:
                        problems.append(f"{problem} (link on {url})")
            elif link not in seen and depth[url] < 2 and followed[_kind(link)] < PER_KIND:
                followed[_kind(link)] += 1
                depth.setdefault(link, depth[url] + 1)
                pages.append(link)
    assert not problems, "\n".join(problems)
    assert downloads, f"{role}: no download link found on {len(seen)} pages"
    views = {_kind(link)[0] for link in downloads}
    expected = {
        "case_handler": {"payroll:case_export", "payroll:cover_letter"},
        "pension_handler": {"pensions:case_export"},
        "unit_manager": {"reporting:volume_report", "reporting:productivity_report", "payroll:case_export"},
        "head_of_service": {"reporting:volume_report", "reporting:productivity_report", "reporting:tertial_report"},
        "finance": {"invoicing:invoice_list", "invoicing:invoice_pdf", "invoicing:invoice_zip", "invoicing:erp_file"},
        "administrator": {"customers:agency_list", "customers:agreement_document", "pricing:pricelist_detail"},
    }[role]
    assert expected <= views, f"{role}: downloads found only for {sorted(views)}"
