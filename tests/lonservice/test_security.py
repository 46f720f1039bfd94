"""Login protection and security headers."""

from django.urls import reverse

from tests.factories import TEST_PASSWORD


def _template_folders():
    """The shared templates and every project app's own (the apps in this folder, not the installed libraries)."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    apps_here = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == root]
    return [root / "templates", *(path / "templates" for path in apps_here)]


def _fail_login(client, username, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def test_repeated_failed_logins_lock_the_user_out_even_with_the_right_password(client, case_handler, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    _fail_login(client, case_handler.username, 3)
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_address(client, case_handler, finance, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    _fail_login(client, case_handler.username, 3)
    response = client.post(reverse("login"), {"username": finance.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(finance.pk)


def test_pages_carry_a_strict_content_security_policy(client, case_handler):
    client.force_login(case_handler)
    response = client.get(reverse("password_change"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for template in (t for folder in _template_folders() for t in folder.glob("**/*.html")):
        if "pdf" in template.name or "/pdf/" in str(template):
            continue  # PDFs are rendered by WeasyPrint, not by a browser under the CSP
        text = template.read_text()
        if "<script>" in text or "<script type" in text or " style=" in text or "<style" in text:
            offenders.append(str(template))
    assert not offenders


def test_session_ends_after_inactivity_setting():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_templates_never_print_ids_with_thousand_separators():
    """USE_THOUSAND_SEPARATOR would print id 1144 as "1 144" and break the links and forms it is in."""
    import re

    raw_id = re.compile(r"\{\{\s*[\w.]+(?<!payslip)(\.pk|\.id|_id)\s*\}\}")  # payslip ids are text
    offenders = [
        f"{template}: {match.group(0)}"
        for folder in _template_folders()
        for template in folder.glob("**/*.html")
        for match in raw_id.finditer(template.read_text())
    ]
    assert not offenders
