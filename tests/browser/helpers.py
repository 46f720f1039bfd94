"""What the journeys share: following the navigation, downloading files and reading them."""

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


def nav_link(page, name: str):
    """A link of the main (side) navigation."""
    return page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True)


@dataclass
class Downloaded:
    suggested_filename: str
    content: bytes


def download(page, locator) -> Downloaded:
    """Click a download link and return the file the browser saved."""
    with page.expect_download() as info:
        locator.click()
    saved = info.value
    return Downloaded(saved.suggested_filename, Path(saved.path()).read_bytes())


def open_pdf(page, locator) -> bytes:
    """Click a link to a PDF shown inline: Chromium opens it in its viewer; return the PDF it was sent."""
    with page.expect_response(lambda response: response.request.is_navigation_request()) as info:
        locator.click()
    response = info.value
    assert response.ok and response.header_value("content-type") == "application/pdf", (response.status, response.url)
    # The viewer replaces the body the page sees; the file itself is fetched again with the page's session.
    pdf = page.request.get(response.url)
    assert pdf.ok
    return pdf.body()


def serialize_polling(page, pattern: str = "**/status/") -> None:
    """Let the page's status polls reach the server only while the test talks to the browser.

    The tests play the task worker in the test thread; with Playwright's sync API a routed request
    waits until the test next calls the browser, so a poll never runs while the worker's part is
    writing (on SQLite the live server shares the test's in-memory connection).
    """
    page.route(pattern, lambda route: route.continue_())


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF"), content[:40]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def render_pdf_page(content: bytes, screenshot, name: str) -> Path | None:
    """The PDF's first page as a PNG next to the screenshots (pdftoppm from poppler-utils)."""
    if not shutil.which("pdftoppm"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "document.pdf"
        source.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source), str(Path(tmp) / "page")],
            check=True,
            timeout=60,
        )
        target = screenshot.folder / f"{name}.png"
        shutil.copyfile(Path(tmp) / "page.png", target)
    return target
