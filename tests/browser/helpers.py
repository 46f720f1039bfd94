"""What the journeys share: following the navigation, downloading files and reading them."""

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


def nav_link(page, name: str):
    """A link of the main navigation, as a person finds it in the top bar."""
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


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
