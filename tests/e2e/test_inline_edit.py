"""A lead edits a register row in place, in a real browser, through htmx."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from readiness.projects.models import Role
from readiness.registers.models import DataElement
from tests.factories import (
    PASSWORD,
    DataElementFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]


def test_it_edits_a_data_element_in_place(live_server, page, tmp_path):
    from playwright.sync_api import expect

    lead = UserFactory(username="lead")
    project = ProjectFactory(name="Northwind ERP cutover", slug="northwind")
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    item = DataElementFactory(project=project, name="Customer")
    list_url = live_server.url + reverse(
        "registers:list", kwargs={"slug": project.slug, "kind": "data-elements"}
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your rollouts")).to_be_visible()

    page.goto(list_url)
    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    row = page.locator(f"#row-data-elements-{item.pk}")
    row.get_by_role("link", name="Edit").click()

    editing = page.locator(f"tr#row-data-elements-{item.pk}.editing")
    expect(editing).to_be_visible()
    assert page.url == list_url  # swapped in place, no navigation
    name = editing.locator(f'[name="item-{item.pk}-name"]')
    expect(name).to_have_value("Customer")
    name.fill("Customer master")
    editing.get_by_role("button", name="Save").click()

    shown = page.locator(f"tr#row-data-elements-{item.pk}:not(.editing)")
    expect(shown).to_contain_text("Customer master")
    assert page.url == list_url
    assert DataElement.objects.get(pk=item.pk).name == "Customer master"

    shown.get_by_role("link", name="Edit").click()
    expect(editing).to_be_visible()
    editing.locator(f'[name="item-{item.pk}-name"]').fill("")
    editing.get_by_role("button", name="Save").click()
    expect(editing.locator(f"#id_item-{item.pk}-name_error")).to_contain_text(
        re.compile("required", re.IGNORECASE)
    )
    assert page.url == list_url
    fresh = DataElement.objects.get(pk=item.pk)
    assert (fresh.name, fresh.version) == ("Customer master", 2)

    screenshot = tmp_path / "inline-edit.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.exists()
    assert screenshot.stat().st_size > 0
