"""Content-Security-Policy and Permissions-Policy on every page, and templates that need no
exception to them: no inline scripts, no inline event handlers, no javascript: links."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, which runs no script: a browser's CSP does not apply there.
NOT_FOR_BROWSERS = {"dossier"}

HANDLER = re.compile(r"(?<![\w-])(on[a-z]+|hx-on[\w:-]*)\s*=", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in NOT_FOR_BROWSERS:
            yield path


@pytest.mark.parametrize("persona", ["anonymous", "lead"])
def test_pages_carry_csp_and_permissions_policy(request, project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    url = reverse("login") if persona == "anonymous" else project.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_htmx_is_configured_to_work_under_the_policy(lead_client, project):
    html = lead_client.get(project.get_absolute_url()).text
    assert '<meta name="htmx-config"' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


def test_no_template_has_inline_event_handlers_or_scripts():
    scanned, problems = 0, []
    for path in _browser_templates():
        text = path.read_text()
        scanned += 1
        for match in HANDLER.finditer(text):
            problems.append(f"{path.name}: inline handler {match.group(0)!r}")
        for attrs, body in SCRIPT.findall(text):
            if body.strip() or "src=" not in attrs:
                problems.append(f"{path.name}: inline <script>")
        if "javascript:" in text:
            problems.append(f"{path.name}: javascript: URL")
    assert scanned > 20
    assert problems == []


def test_the_scan_would_catch_what_it_forbids():
    assert HANDLER.search("<form onsubmit=\"return confirm('x')\">")
    assert HANDLER.search('<button hx-on:click="go()">')
    assert not HANDLER.search('<meta name="x" content="y">')
    assert SCRIPT.search("<script>alert(1)</script>")


def test_members_page_asks_before_removing_without_inline_code(lead_client, project, contributor):
    html = lead_client.get(reverse("projects:members", kwargs={"slug": project.slug})).text
    assert 'data-confirm="Remove contributor from this project?"' in html
    assert "onsubmit" not in html


@pytest.mark.parametrize("status", [403, 404])
def test_refusals_carry_the_same_policy_django_csp_writes(viewer_client, project, settings, status):
    from csp.utils import build_policy

    settings.DEBUG = False
    url = (
        reverse("projects:edit", args=[project.slug])
        if status == 403
        else reverse("projects:overview", args=["no-such-project"])
    )
    response = viewer_client.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == build_policy()
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
