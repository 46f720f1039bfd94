"""/api/schema/ (OpenAPI 3) and /api/docs/, whose Swagger UI files the app serves itself."""

import re

import pytest
from django.contrib.staticfiles import finders

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


def test_schema_for_a_token_and_a_signed_in_person(client, case_handler, system_account):
    by_token = ApiClient(make_token(system_account, ["agencies:read"])).get(
        "/api/schema/", HTTP_ACCEPT="application/json"
    )
    assert by_token.status_code == 200
    schema = by_token.json()
    assert schema["openapi"].startswith("3.") and "/api/v1/payslip-imports/" in schema["paths"]
    assert "202" in schema["paths"]["/api/v1/payslip-imports/"]["post"]["responses"]
    assert ApiClient(None).get("/api/schema/").status_code == 401
    client.force_login(case_handler)
    assert client.get("/api/schema/").status_code == 200


def test_docs_page_uses_no_cdn(client, case_handler):
    client.force_login(case_handler)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(not s.startswith(("http://", "https://", "//")) for s in sources), sources
    assert any("swagger-ui-bundle.js" in s for s in sources)
    bundle = next(s for s in sources if "swagger-ui-bundle.js" in s)
    assert finders.find(bundle.split("/static/", 1)[1]), bundle  # shipped by drf-spectacular-sidecar
    # The init script is the page's own URL, not inline (the CSP allows no inline script).
    assert "<script>" not in html.replace(" ", "")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/login/" in response["Location"]
