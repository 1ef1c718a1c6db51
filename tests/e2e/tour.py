"""A walk through every page of the app, in the states a user reaches, on the seeded demo.

The accessibility test runs axe on each stop and `make screenshots` photographs it. The walk
uses only the browser (clicks, forms, htmx), so it runs against the test server as well as
against a real one. It changes the demo as a team would: signs check 4 and then edits one of
its reports (a stale sign-off), proposes accepting a blocker, renders a dossier, previews an
import. Each stop is yielded by name once its page is on screen; the caller may resize the
window but must leave the page where it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

SLUG = "northwind-erp-cutover"
OTHER = "harbor-crm-refresh"
PASSWORD = "readiness-demo"
REGISTERS = [
    "data-elements",
    "handoffs",
    "exceptions",
    "reports",
    "duties",
    "owners",
    "systems",
    "blackouts",
]
CHECKS = ["data", "handoffs", "exceptions", "reporting", "ownership"]
STEPS = ["register", "questions", "findings", "signoff"]


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button").click()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"{username} could not log in")


def _go(page, url: str, *, status: int = 200) -> None:
    response = page.goto(url)
    if response is None or response.status != status:
        got = response.status if response else None
        raise AssertionError(f"{url} answered {got}, expected {status}")


def _submit(page, button) -> None:
    """Submits a full-page form with the given button and waits for the answer."""
    with page.expect_navigation():
        button.click()


def _upload(page, name: str, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )


def _first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise AssertionError(f"no link matches {selector} on {page.url}")
    return href


def tour(page, base: str) -> Iterator[str]:
    p = f"{base}/projects/{SLUG}"

    # Anonymous: the login page, a failed log-in, the lockout, a missing page.
    page.context.clear_cookies()
    _go(page, f"{base}/accounts/login/")
    yield "login"
    page.get_by_label("Username").fill("demo-lead")
    page.get_by_label("Password").fill("not the password")
    _submit(page, page.locator("form.stack button"))
    yield "login-error"
    for _ in range(6):  # a made-up name, so no demo account is locked
        if page.get_by_role("heading", name="Too many").count():
            break
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("nobody-by-that-name")
        page.get_by_label("Password").fill("wrong")
        _submit(page, page.locator("form.stack button"))
    yield "locked-out"
    _go(page, f"{base}/no-such-page/", status=404)
    yield "not-found-anonymous"

    # The lead: every page of the project.
    log_in(page, base, "demo-lead")
    _go(page, f"{base}/projects/")
    yield "projects"
    _go(page, f"{base}/projects/new/")
    yield "project-new"
    _submit(page, page.get_by_role("button", name="Create project"))
    yield "project-new-errors"
    _go(page, f"{p}/")
    yield "overview"
    # The folded menu opened (it shows only on a narrow screen; a click on a hidden button).
    page.evaluate("document.querySelector('.menu-toggle').click()")
    yield "menu-open"
    _go(page, f"{base}/projects/{OTHER}/")
    yield "overview-other"
    for kind in REGISTERS:
        _go(page, f"{p}/registers/{kind}/")
        yield f"register-{kind}"
        item = _first_href(page, "#register-rows tr td:first-child a")
        edit = _first_href(page, "#register-rows a.btn:has-text('Edit')")
        _go(page, base + item)
        yield f"item-{kind}"
        _go(page, base + edit)
        yield f"item-edit-{kind}"
        _go(page, f"{p}/registers/{kind}/new/")
        yield f"item-new-{kind}"
    _submit(page, page.get_by_role("button", name="Save", exact=True))
    yield "item-new-errors"
    _go(page, f"{p}/registers/data-elements/?q=customer")
    yield "register-filtered"

    # Inline edit (htmx), then the same row saved with a required field emptied.
    _go(page, f"{p}/registers/data-elements/")
    page.locator("#register-rows a.btn:has-text('Edit')").first.click()
    editing = page.locator("tr.editing form")
    editing.wait_for()
    yield "inline-edit"
    editing.locator("input[name^='item-'][name$='-name']").fill("")
    editing.get_by_role("button", name="Save").click()
    page.locator("tr.editing .errorlist li").first.wait_for()
    yield "inline-edit-errors"
    _go(page, _delete_url(page, base, p))
    yield "item-delete"

    # A test run without its fields: the exception's page shows what is missing.
    _go(page, f"{p}/registers/exceptions/")
    _go(page, base + _first_href(page, "#register-rows tr td:first-child a"))
    page.locator("details.add-run summary").click()
    yield "test-run-form"
    _submit(page, page.get_by_role("button", name="Record run"))
    yield "test-run-errors"

    for key in CHECKS:
        for step in STEPS:
            _go(page, f"{p}/checks/{key}/{step}/")
            yield f"check-{key}-{step}"

    # Check 4 answered and signed by its signatory, the lead.
    _go(page, f"{p}/checks/reporting/questions/")
    for question in page.locator("li.question").all():
        if question.locator("input[type=radio]:checked").count():
            continue
        question.locator("input[type=radio][value='yes']").click()
        question.locator(".saved").wait_for()
    _go(page, f"{p}/checks/reporting/signoff/")
    page.get_by_label("Statement").fill("Day-one reports agreed with finance.")
    _submit(page, page.get_by_role("button", name="Sign off check 4"))
    yield "check-signed"
    _go(page, f"{p}/")
    yield "overview-signed"

    # One of its reports edited: the sign-off turns stale.
    _go(page, f"{p}/registers/reports/")
    _go(page, base + _first_href(page, "#register-rows a.btn:has-text('Edit')"))
    name = page.locator("main form input[name^='item-'][name$='-name']")
    name.fill(name.input_value() + " (revised)")
    _submit(page, page.locator("form.formgrid button.primary"))
    yield "item-edit-stale-warning"  # the form first says whose sign-off the save makes stale
    _submit(page, page.get_by_role("button", name="Save anyway"))
    _go(page, f"{p}/checks/reporting/signoff/")
    yield "check-stale"
    _go(page, f"{p}/")
    yield "overview-stale"
    _go(page, f"{base}/signoffs/")
    yield "my-signoffs-lead"

    # The signatory of check 1 proposes accepting a blocker.
    _go(page, f"{p}/checks/data/findings/")
    proposal = page.locator("details.accept").first
    proposal.locator("summary").click()
    proposal.locator("textarea[name=rationale]").fill("Credit limits move by hand for a month.")
    expiry = proposal.locator("input[name=expires_on]")
    expiry.fill(expiry.get_attribute("max"))
    _submit(page, proposal.get_by_role("button"))
    yield "findings-proposed"

    for name, url in [
        ("settings", f"{p}/settings/"),
        ("members", f"{p}/members/"),
        ("assurance", f"{p}/assurance/"),
    ]:
        _go(page, url)
        yield name
        form = page.locator("main form.formgrid").last
        # Sent with its first required field emptied (the others start empty).
        form.locator("input[type=text]").first.fill("")
        _submit(page, form.locator("button.primary"))
        if not page.locator(".errorlist li").count():
            raise AssertionError(f"{url}: the form was sent without an error to show")
        yield f"{name}-errors"
    _go(page, f"{p}/activity/")
    yield "activity"
    _go(page, f"{p}/activity/?register=handoffs")
    yield "activity-filtered"
    _go(page, f"{base}/rules/")
    yield "rules"
    _go(page, f"{base}/portfolio/")
    yield "portfolio"

    # A dossier rendered (Celery runs eagerly here), and the list with it.
    _go(page, f"{p}/dossiers/")
    yield "dossiers-empty"
    page.get_by_role("button", name="Generate dossier").click()
    page.locator(".dossier-status.dossier-ready").first.wait_for(timeout=120_000)
    _go(page, f"{p}/dossiers/")
    yield "dossiers"

    # Imports: the form, a refused upload, and a preview of Northwind's workbook on Harbor.
    _go(page, f"{p}/import/data-elements/")
    yield "import-register"
    _upload(page, "notes.pdf", b"%PDF-1.4 not a table")
    _submit(page, page.get_by_role("button", name="Upload and preview"))
    yield "import-errors"
    workbook = page.request.get(f"{p}/export/").body()
    _go(page, f"{base}/projects/{OTHER}/import/")
    yield "import-workbook"
    _upload(page, "northwind.xlsx", workbook)
    _submit(page, page.get_by_role("button", name="Upload and preview"))
    yield "import-preview"
    _go(page, f"{p}/import/data-elements/")
    _upload(page, "data.csv", _broken_csv(page, p))
    _submit(page, page.get_by_role("button", name="Upload and preview"))
    yield "import-preview-errors"

    _go(page, f"{base}/accounts/password_change/")
    yield "password-change"
    page.locator("input[name=old_password]").fill("not the password")
    page.locator("input[name=new_password1]").fill("Changed-pass-4481")
    page.locator("input[name=new_password2]").fill("Changed-pass-4482")
    _submit(page, page.get_by_role("button", name="Change password"))
    yield "password-change-errors"
    page.locator("input[name=old_password]").fill(PASSWORD)
    # The lead logs in no more on this walk.
    page.locator("input[name=new_password1]").fill("Changed-pass-4481")
    page.locator("input[name=new_password2]").fill("Changed-pass-4481")
    _submit(page, page.get_by_role("button", name="Change password"))
    yield "password-changed"
    _go(page, f"{base}/projects/no-such-project/", status=404)
    yield "not-found"

    # The owner: what waits for them, and a handoff to sign.
    log_in(page, base, "demo-owner")
    _go(page, f"{base}/signoffs/")
    yield "my-signoffs-owner"
    _go(page, base + _first_href(page, "a[href*='/items/handoffs/']"))
    yield "item-to-sign"

    # The accountable executive: the proposal to approve.
    log_in(page, base, "demo-exec")
    _go(page, f"{base}/signoffs/")
    yield "my-signoffs-exec"
    _go(page, f"{p}/checks/data/findings/")
    yield "findings-approve"

    # The viewer: their landing page, a read-only register and a refusal.
    log_in(page, base, "demo-viewer")
    yield "portfolio-viewer"
    _go(page, f"{p}/registers/handoffs/")
    yield "register-viewer"
    _go(page, f"{p}/registers/handoffs/new/", status=403)
    yield "forbidden"


def _delete_url(page, base: str, p: str) -> str:
    return base + _first_href(page, "#register-rows a[href$='/delete/']")


def _broken_csv(page, p: str) -> bytes:
    """The data elements export with a row whose name is missing and a made-up choice."""
    text = page.request.get(f"{p}/export/data-elements/").text().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header, first, second = rows[0], rows[1], rows[2]
    first[0] = ""
    for column, label in enumerate(header):
        if label.lower().startswith("critical"):
            second[column] = "somewhat"
    out = io.StringIO()
    csv.writer(out).writerows([header, first, second])
    return out.getvalue().encode()
