"""A viewer follows a finding to the item that causes it, in a real browser, on the demo."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]

SLUG = "northwind-erp-cutover"


def test_it_follows_a_finding_to_a_readable_item_page_as_viewer(live_server, page, tmp_path):
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=StringIO())

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("demo-viewer")
    page.get_by_label("Password").fill("readiness-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/accounts/login/" not in page.url

    findings_url = live_server.url + reverse(
        "reviews:check", kwargs={"slug": SLUG, "key": "handoffs", "step": "findings"}
    )
    page.goto(findings_url)
    finding = page.locator("li.finding", has=page.locator("text=Caused by:")).first
    title = finding.locator(".f-head strong").first.inner_text()
    link = finding.locator("p", has_text="Caused by:").get_by_role("link").first
    name = link.inner_text()

    with page.expect_navigation() as navigation:
        link.click()

    assert navigation.value.status == 200
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    expect(heading).to_contain_text(name)
    expect(page.get_by_role("heading", name="Findings it causes")).to_be_visible()
    expect(page.locator("ul.findings")).to_contain_text(title)
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    assert "403" not in page.title()

    screenshot = tmp_path / "item-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0
