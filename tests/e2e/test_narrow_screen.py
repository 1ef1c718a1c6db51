"""On a 390 px phone screen no page scrolls sideways: wide tables scroll in their own box."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]

SLUG = "northwind-erp-cutover"
WIDTH = 390

PAGES = [
    "/projects/",
    f"/projects/{SLUG}/",
    f"/projects/{SLUG}/registers/data-elements/",
    f"/projects/{SLUG}/registers/handoffs/",
    f"/projects/{SLUG}/registers/owners/",
    f"/projects/{SLUG}/checks/data/register/",
    f"/projects/{SLUG}/checks/handoffs/questions/",
    f"/projects/{SLUG}/checks/exceptions/findings/",
    f"/projects/{SLUG}/checks/ownership/signoff/",
    "/signoffs/",
    "/portfolio/",
    f"/projects/{SLUG}/dossiers/",
    f"/projects/{SLUG}/activity/",
    f"/projects/{SLUG}/assurance/",
    "/rules/",
    f"/projects/{SLUG}/members/",
]


def test_no_page_scrolls_sideways_at_390_px(live_server, page):
    call_command("seed_demo", stdout=StringIO())
    page.set_viewport_size({"width": WIDTH, "height": 844})

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("demo-lead")
    page.get_by_label("Password").fill("readiness-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/accounts/login/" not in page.url

    # One register item and its edit form, found from the list rather than guessed.
    page.goto(f"{live_server.url}/projects/{SLUG}/registers/data-elements/")
    item = page.locator("#register-rows tr td:first-child a").first.get_attribute("href")
    edit = page.locator("#register-rows a.btn", has_text="Edit").first.get_attribute("href")

    widths = {}
    for path in [*PAGES, item, edit]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        widths[path] = page.evaluate("document.documentElement.scrollWidth")

    too_wide = {path: width for path, width in widths.items() if width > WIDTH}
    assert not too_wide, f"pages wider than {WIDTH} px: {too_wide}"

    # The register table scrolls inside its own box, its first column stays in view.
    page.goto(f"{live_server.url}/projects/{SLUG}/registers/handoffs/")
    box = page.locator(".tablewrap").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    first = page.locator("#register-rows tr td:first-child").first.bounding_box()
    wrap = box.bounding_box()
    assert first["x"] >= wrap["x"] - 1

    # A row edited inline keeps its form, and its Save button, within the screen.
    page.locator("#register-rows a.btn", has_text="Edit").first.click()
    form = page.locator("tr.editing form")
    form.wait_for()
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    edited = form.bounding_box()
    assert edited["x"] >= 0
    assert edited["x"] + edited["width"] <= WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
