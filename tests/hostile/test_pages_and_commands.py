"""The corpus through the doors people use: the upload pages (the message on the page, nothing written)
and the import commands (a command error listing the rows, no traceback, nothing written)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from .corpus import REJECTED
from .imports import SPECS, UNIT, row_counts

# What the page says, in Swedish, for each kind tried through the pages.
PAGE_KINDS = {
    "png": "Filen är ingen textfil (CSV).",
    "latin1": "UTF-8",
    "missing_column": "<td>{strict}</td>",
    "script_in_strict_column": "<td>{strict}</td>",  # and never unescaped: see below
    "million_char_cell": "längre än 1000 tecken",
}


@pytest.fixture
def eager():
    from lonservice.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _post(client, name, content, world):
    upload = SimpleUploadedFile("fil.csv", content, content_type="text/csv")
    if name == "agencies":
        return client.post(reverse("customers:agency_import"), {"file": upload})
    if name == "price_list":
        return client.post(reverse("pricing:pricelist_import"), {"file": upload})
    if name == "fte":
        return client.post(reverse("staffing:fte_import"), {"file": upload})
    if name == "phone":
        return client.post(reverse("staffing:phone_import"), {"file": upload})
    if name == "signals":
        data = {
            "provider": "kpa",
            "name": "KPA: pensionsavgångar",
            "unit": world["unit"].pk,
            "received_on": "2012-03-01",
            "deadline": "2012-06-30",
            "file": upload,
        }
        return client.post(reverse("pensions:signal_list_import"), data)
    if name == "payslips":
        response = client.post(reverse("payroll:import_upload"), {"file": upload})
        assert response.status_code == 302, response.status_code
        return client.get(response["Location"])
    raise KeyError(name)


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("name", list(SPECS))
def test_the_upload_page_shows_why_and_writes_nothing(name, kind, client, administrator, world, eager):
    client.force_login(administrator)
    before = row_counts()
    response = _post(client, name, REJECTED[kind](SPECS[name]), world)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "Filen avvisades. Ingenting importerades." in html
    assert '<th scope="col">Rad</th>' in html and '<th scope="col">Kolumn</th>' in html
    assert PAGE_KINDS[kind].format(strict=SPECS[name].strict) in html
    assert "<script>alert" not in html.lower()
    assert row_counts() == before


def _write(tmp_path, content: bytes):
    path = tmp_path / "fil.csv"
    path.write_bytes(content)
    return str(path)


def _command(name, path):
    if name == "agencies":
        return call_command("import_agencies", path)
    if name == "price_list":
        return call_command("import_price_list", path)
    if name == "fte":
        return call_command("import_fte", path)
    if name == "phone":
        return call_command("import_phone", path)
    if name == "payslips":
        return call_command("import_payslips", path)
    if name == "signals":
        return call_command(
            "import_signal_list",
            path,
            provider="kpa",
            name="KPA: pensionsavgångar",
            unit=UNIT,
            received=dt.date(2012, 3, 1),
            deadline=dt.date(2012, 6, 30),
        )
    raise KeyError(name)


@pytest.mark.parametrize("kind", ["huge_file", "png", "nul_after_4kb"])
@pytest.mark.parametrize("name", list(SPECS))
def test_the_command_refuses_with_the_rows_and_writes_nothing(name, kind, world, tmp_path, settings, capsys):
    """The command reads a file from disk (no upload size): the size limit must hold there too."""
    if kind == "huge_file":
        settings.IMPORT_MAX_BYTES = 4096
    path = _write(tmp_path, REJECTED[kind](SPECS[name]))
    before = row_counts()
    with pytest.raises(CommandError, match="(?i)nothing was imported|rejected"):
        _command(name, path)
    errors = capsys.readouterr().err
    assert "Traceback" not in errors
    assert {"huge_file": "larger than", "png": "text file", "nul_after_4kb": "control character"}[kind] in errors or {
        "huge_file": "större än",
        "png": "textfil",
        "nul_after_4kb": "styrtecken",
    }[kind] in errors, errors
    assert row_counts() == before


@pytest.mark.parametrize("name", list(SPECS))
def test_every_upload_page_counts_towards_one_hourly_limit(name, client, administrator, world, eager, settings):
    """The limit holds on every import page, whatever page the earlier uploads went to."""
    from core.models import Upload

    settings.IMPORT_UPLOADS_PER_HOUR = 3
    for page in ("customers:agency_import", "pricing:pricelist_import", "staffing:fte_import"):
        Upload.objects.create(user=administrator, page=page, size=10)
    client.force_login(administrator)
    before = row_counts()
    response = _post(client, name, REJECTED["png"](SPECS[name]), world) if name != "payslips" else None
    if name == "payslips":
        upload = SimpleUploadedFile("fil.csv", b"x", content_type="text/csv")
        response = client.post(reverse("payroll:import_upload"), {"file": upload})
    assert response.status_code == 429
    assert "Du har laddat upp 3 filer den senaste timmen" in response.content.decode()
    assert row_counts() == before
