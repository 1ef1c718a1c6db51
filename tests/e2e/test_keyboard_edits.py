"""In-place edits by keyboard, in a real browser: focus goes where the work is, Escape cancels,
saves are announced and refresh the verdict bar, a delete can be undone, and answer radios
save once per choice rather than once per option the arrow keys pass."""

from pathlib import Path

import pytest
from django.urls import reverse

from readiness.projects.models import ActivityAction, ActivityEntry, Role
from readiness.registers.models import Criticality, DataElement
from readiness.reviews.checks import get_check
from readiness.reviews.models import Answer
from tests.factories import (
    PASSWORD,
    DataElementFactory,
    MembershipFactory,
    ProjectFactory,
    SystemFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]


def _log_in(page, live_server, username):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.stack button").click()
    expect(page.get_by_role("heading", name="Your rollouts")).to_be_visible()


def _focused(page) -> str:
    """What has the focus: its id, else its tag and text."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || (e.tagName + ':' + e.textContent.trim().replace(/\\s+/g, ' ')); }"
    )


@pytest.fixture
def lead_project(db):
    lead = UserFactory(username="lead")
    project = ProjectFactory(name="Northwind ERP cutover", slug="northwind")
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    return project


def test_an_inline_edit_by_keyboard(live_server, page, lead_project):
    from playwright.sync_api import expect

    project = lead_project
    erp = SystemFactory(project=project, name="ERP")
    # Teams dispute the system of truth of a critical element: a blocker.
    item = DataElementFactory(
        project=project,
        name="Customer",
        criticality=Criticality.CRITICAL,
        system_of_truth=erp,
        truth_disputed=True,
    )
    _log_in(page, live_server, "lead")
    page.goto(
        live_server.url
        + reverse("registers:list", kwargs={"slug": project.slug, "kind": "data-elements"})
    )
    bar = page.locator("#verdict-bar")
    expect(bar).to_contain_text("Not ready")
    expect(bar).to_contain_text("1 blocker")  # the dispute (unsigned checks are their status)

    row = page.locator(f"#row-data-elements-{item.pk}")
    edit = row.get_by_role("link", name="Edit")
    edit.focus()
    page.keyboard.press("Enter")
    editing = page.locator(f"tr#row-data-elements-{item.pk}.editing")
    expect(editing).to_be_visible()
    name = editing.locator(f"#id_item-{item.pk}-name")
    expect(name).to_be_focused()  # the first field

    # Escape: the row as it was, no write, focus back on its Edit control.
    name.fill("Changed my mind")
    page.keyboard.press("Escape")
    shown = page.locator(f"tr#row-data-elements-{item.pk}:not(.editing)")
    expect(shown).to_contain_text("Customer")
    expect(shown.get_by_role("link", name="Edit")).to_be_focused()
    assert DataElement.objects.get(pk=item.pk).version == item.version

    # An invalid save: focus on the invalid field, its error tied to it.
    page.keyboard.press("Enter")
    expect(name).to_be_focused()
    name.fill("")
    editing.get_by_role("button", name="Save").click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()
    described = name.get_attribute("aria-describedby")
    assert f"id_item-{item.pk}-name_error" in described.split()
    expect(page.locator(f"#id_item-{item.pk}-name_error")).to_contain_text("required")

    # A good save: back on the saved row, announced, the verdict bar recounted without reload.
    name.fill("Customer master")
    editing.get_by_label("System of truth disputed").uncheck()
    name.press("Enter")
    expect(shown).to_contain_text("Customer master")
    expect(shown.get_by_role("link", name="Edit")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Saved — Customer master")
    expect(page.locator("#live-status")).to_have_attribute("role", "status")
    expect(bar).to_contain_text("no blockers")
    assert DataElement.objects.get(pk=item.pk).truth_disputed is False


def test_delete_asks_in_the_row_and_undo_brings_it_back(live_server, page, lead_project):
    from playwright.sync_api import expect

    project = lead_project
    item = DataElementFactory(project=project, name="Customer", definition="Who buys from us.")
    _log_in(page, live_server, "lead")
    page.goto(
        live_server.url
        + reverse("registers:list", kwargs={"slug": project.slug, "kind": "data-elements"})
    )
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog opened: {dialog.message}"))
    row = page.locator(f"#row-data-elements-{item.pk}")
    row.get_by_role("link", name="Delete").click()
    question = row.get_by_text("Delete data element “Customer”?")
    expect(question).to_be_visible()
    expect(page.locator(f"#row-data-elements-{item.pk} p")).to_be_focused()

    # Escape keeps it.
    page.keyboard.press("Escape")
    expect(row.get_by_role("link", name="Edit")).to_be_visible()
    assert DataElement.objects.filter(pk=item.pk).exists()

    row.get_by_role("link", name="Delete").click()
    row.get_by_role("button", name="Delete").click()
    expect(row).to_contain_text("Deleted data element “Customer”.")
    expect(page.locator("#live-status")).to_have_text("Deleted — Customer")
    assert not DataElement.objects.filter(pk=item.pk).exists()

    row.get_by_role("button", name="Undo").click()
    expect(row.get_by_role("link", name="Edit")).to_be_focused()
    expect(row).to_contain_text("Customer")
    expect(page.locator("#live-status")).to_have_text("Restored — Customer")
    assert DataElement.objects.get(pk=item.pk).definition == "Who buys from us."
    assert ActivityEntry.objects.filter(action=ActivityAction.RESTORED).count() == 1

    page.reload()
    expect(page.locator(f"#row-data-elements-{item.pk}")).to_contain_text("Customer")


def test_arrow_keys_through_answers_save_once(live_server, page, lead_project):
    from playwright.sync_api import expect

    project = lead_project
    data = get_check("data")
    question = data.questions[0]
    _log_in(page, live_server, "lead")
    url = live_server.url + reverse(
        "reviews:check", kwargs={"slug": project.slug, "key": data.key, "step": "questions"}
    )
    page.goto(url)
    item = page.locator(f"#q-{question.key}")
    radios = item.locator(f'input[name="{question.key}-answer"]')
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    assert values == ["yes", "partly", "no", "na"]
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def saved(response):
        return response.request.method == "POST" and f"/{question.key}/" in response.url

    def answer():
        return Answer.objects.get(question_key=question.key).answer

    answered = ActivityEntry.objects.filter(
        action=ActivityAction.ANSWERED, target_name=question.prompt
    )

    # Picking with Space is a choice: saved at once.
    radios.first.focus()
    with page.expect_response(saved):
        page.keyboard.press("Space")
    assert answer() == "yes"

    # The arrows pass every other option: nothing is saved on the way...
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(radios.last).to_be_checked()
    expect(item.locator(".answer-form")).to_have_class("answer-form answer-pending")
    assert len(posts) == 1 and answer() == "yes"
    # ...and moving on commits the choice once.
    with page.expect_response(saved):
        page.keyboard.press("Tab")
    expect(page.locator("#live-status")).to_have_text(f"Saved — {question.prompt}")
    assert len(posts) == 2
    assert answer() == "na"
    assert answered.count() == 2  # the Space pick and the final choice; none in between

    # Arrows, then a pause on an option: saved once, after the pause.
    radios.last.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(radios.nth(1)).to_be_checked()
    page.wait_for_timeout(1000)
    assert len(posts) == 2
    with page.expect_response(saved, timeout=5000):
        pass
    assert len(posts) == 3 and answer() == "partly"
    # A Partly without a note is kept, and marked as needing one.
    expect(item.locator(".needs-note")).to_contain_text("Needs a note")

    # A click saves at once.
    with page.expect_response(saved):
        item.locator("label.choice-no").click()
    assert answer() == "no"
    assert answered.count() == 4

    page.reload()
    expect(page.locator(f"#q-{question.key} input[value='no']")).to_be_checked()
