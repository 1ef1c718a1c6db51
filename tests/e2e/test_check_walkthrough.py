"""A signatory walks a check in a real browser: answers autosave via htmx, then they sign."""

from pathlib import Path

import pytest
from django.urls import reverse

from readiness.projects.models import Role
from readiness.reviews.checks import get_check
from readiness.reviews.models import Answer, CheckSignatory, SignOff
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OwnerFactory,
    ProjectFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]


def test_it_walks_a_check_from_questions_to_signed(live_server, page, tmp_path):
    from playwright.sync_api import expect

    reporting = get_check("reporting")
    user = UserFactory(username="rita", first_name="Rita", last_name="Report")
    project = ProjectFactory(name="Northwind ERP cutover", slug="northwind")
    MembershipFactory(project=project, user=user, role=Role.CONTRIBUTOR)
    owner = OwnerFactory(project=project, name="Rita Report", user=user)
    CheckSignatory.objects.create(project=project, check_key=reporting.key, owner=owner)
    # A clean day-one report: nothing for the rules to warn about.
    ReportFactory(project=project, name="Daily invoicing", owner=owner, shows_why=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your rollouts")).to_be_visible()

    questions_url = live_server.url + reverse(
        "reviews:check", kwargs={"slug": project.slug, "key": reporting.key, "step": "questions"}
    )
    page.goto(questions_url)
    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    *first, last = reporting.questions
    for number, question in enumerate(first, start=1):
        item = page.locator(f"#q-{question.key}")
        choice = "yes" if number % 2 else "na"  # any choice saves, not only the first radio
        item.locator(f'input[name="{question.key}-answer"][value="{choice}"]').click()
        expect(page.locator(f"#q-{question.key} .saved")).to_have_text("Saved")
        expect(page.locator("#stepper")).to_contain_text(
            f"{number} of {len(reporting.questions)} answered"
        )
    # A note typed before choosing is kept, and saved with the answer chosen after it.
    item = page.locator(f"#q-{last.key}")
    item.locator("textarea").press_sequentially("Two sources still disagree on open orders.")
    expect(item).to_contain_text("Choose yes, partly, no or not applicable to save.")
    page.locator(f'#q-{last.key} input[value="no"]').click()
    expect(page.locator(f"#q-{last.key} .saved")).to_have_text("Saved")
    for number in [len(reporting.questions)]:
        expect(page.locator("#stepper")).to_contain_text(
            f"{number} of {len(reporting.questions)} answered"
        )
    assert page.url == questions_url  # every answer saved in place, no navigation
    assert Answer.objects.filter(project=project, check_key=reporting.key).count() == len(
        reporting.questions
    )
    assert set(Answer.objects.values_list("answer", flat=True)) == {"yes", "na", "no"}
    assert Answer.objects.get(question_key=last.key).note == (
        "Two sources still disagree on open orders."
    )

    page.get_by_role("link", name="Next: findings →").click()
    expect(page.get_by_text("No warning signs in this check's data")).to_be_visible()
    expect(page.locator("#stepper")).to_contain_text("0 open")

    page.get_by_role("link", name="Next: sign-off →").click()
    expect(page.locator(".status-box .status")).to_have_text("Ready to sign")
    page.get_by_label("Statement").fill("Reports agreed with finance; sources checked.")
    page.get_by_role("button", name=f"Sign off check {reporting.number}").click()

    expect(page.get_by_text(f"Check {reporting.number} signed.")).to_be_visible()
    expect(page.locator(".alert.ok strong")).to_have_text("Signed")
    expect(page.locator(".status-box .status")).to_have_text("Signed")
    signoff = SignOff.objects.get(project=project, check_key=reporting.key)
    assert (signoff.signer, signoff.owner, signoff.revoked_at) == (user, owner, None)
    assert signoff.subject_name == "Check 4 · Reporting"
    expect(page.get_by_text(f"Signed hash {signoff.content_hash}")).to_be_visible()

    screenshot = tmp_path / "check-walkthrough.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.exists()
    assert screenshot.stat().st_size > 0


def test_a_partly_without_a_note_is_kept_and_marked_after_reload(live_server, page):
    from playwright.sync_api import expect

    data = get_check("data")
    user = UserFactory(username="nina", first_name="Nina", last_name="Note")
    project = ProjectFactory(name="Harbor CRM refresh", slug="harbor")
    MembershipFactory(project=project, user=user, role=Role.CONTRIBUTOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    url = live_server.url + reverse(
        "reviews:check", kwargs={"slug": project.slug, "key": data.key, "step": "questions"}
    )
    page.goto(url)
    question = data.questions[1]
    page.locator(f'#q-{question.key} input[value="partly"]').click()
    expect(page.locator(f"#q-{question.key} .saved")).to_have_text("Saved")
    expect(page.locator(f"#q-{question.key} .needs-note")).to_be_visible()

    page.reload()
    expect(page.locator(f'#q-{question.key} input[value="partly"]')).to_be_checked()
    expect(page.locator(f"#q-{question.key} .needs-note")).to_contain_text("Needs a note")
    assert Answer.objects.get(project=project, question_key=question.key).answer == "partly"
