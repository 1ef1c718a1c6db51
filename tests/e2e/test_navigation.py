"""Getting around by keyboard and on a phone: the skip link, and the menu that folds at 390 px."""

from pathlib import Path

import pytest

from readiness.projects.models import Role
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture
def northwind(db):
    lead = UserFactory(username="lead", first_name="Helen", last_name="Marsh")
    project = ProjectFactory(name="Northwind ERP cutover", slug="northwind")
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    return project


def log_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button").click()
    assert "/accounts/login/" not in page.url


def project_nav(page):
    return page.get_by_role("navigation", name="Project")


def focused(page, script="el => el.id || el.textContent.trim()"):
    return page.evaluate(f"({script})(document.activeElement)")


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_page(
    live_server, page, northwind
):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/projects/northwind/")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()  # out of sight until it is needed

    page.keyboard.press("Tab")
    assert focused(page) == "Skip to main content"
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    assert focused(page) == "main"
    # The next Tab goes on inside the page, past the menus.
    page.keyboard.press("Tab")
    assert focused(page, "el => Boolean(el.closest('main'))")


def test_at_desktop_width_every_link_shows_and_there_is_no_menu_button(
    live_server, page, northwind
):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/projects/northwind/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Portfolio")).to_be_visible()
    expect(project_nav(page).get_by_role("link", name="Handoffs")).to_be_visible()
    overview = project_nav(page).get_by_role("link", name="Overview")
    expect(overview).to_have_attribute("aria-current", "page")


def test_at_390_px_the_menu_folds_behind_a_button_that_mouse_and_keyboard_open(
    live_server, page, northwind
):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/projects/northwind/")
    menu = page.get_by_role("button", name="Menu")
    portfolio = page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio")
    handoffs = project_nav(page).get_by_role("link", name="Handoffs")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert menu.get_attribute("aria-controls") == "site-menu project-menu"
    expect(portfolio).to_be_hidden()
    expect(handoffs).to_be_hidden()
    # The project's name stays in view: it says where you are.
    expect(page.get_by_role("link", name="Northwind ERP cutover")).to_be_visible()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(portfolio).to_be_visible()
    expect(handoffs).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    handoffs.click()
    page.wait_for_url("**/registers/handoffs/")
    expect(menu).to_have_attribute("aria-expanded", "false")  # a new page starts folded
    expect(handoffs).to_be_hidden()

    # By keyboard: Enter opens it, Tab walks into its links, Escape folds it and returns focus.
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert focused(page) == "Projects"
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(portfolio).to_be_hidden()
    assert focused(page, "el => el.classList.contains('menu-toggle')")
    page.keyboard.press("Space")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(handoffs).to_have_attribute("aria-current", "page")
    page.keyboard.press("Space")
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_without_javascript_every_link_stays_reachable_at_390_px(live_server, browser, northwind):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/projects/northwind/")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        for name in ["Portfolio", "My sign-offs", "Rules", "Password"]:
            expect(page.get_by_role("banner").get_by_role("link", name=name)).to_be_visible()
        for name in ["Handoffs", "Checks", "Activity"]:
            expect(project_nav(page).get_by_role("link", name=name)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
