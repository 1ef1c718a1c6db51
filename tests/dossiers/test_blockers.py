"""Blockers: grouped by check, linked to what clears them, with an owner — and the same number
on the project's page, the portfolio and the dossier."""

import re

from django.urls import reverse

from readiness.dossiers.rendering import render_html, render_pdf
from readiness.dossiers.snapshot import build_snapshot
from readiness.projects.models import Project
from readiness.registers import models as registers  # its TestStatus is no pytest class
from readiness.registers.models import Severity
from readiness.reviews.selectors import project_review
from readiness.reviews.verdict import BLOCKERS_LISTED
from tests.dossiers.support import pdf_pages_text
from tests.factories import ExceptionCaseFactory


def _failed_case(project, owner, name="Order changed after approval"):
    return ExceptionCaseFactory(
        project=project,
        name=name,
        severity=Severity.HIGH,
        test_status=registers.TestStatus.FAILED,
        decision_owner=owner,
    )


def _fresh(project):
    return Project.objects.get(pk=project.pk)


def _section(html: str) -> str:
    """The blockers part of a page."""
    start = html.index('aria-label="Blockers"')
    return html[start : html.index("</section>", start)]


def test_it_names_the_item_that_clears_a_blocker_and_its_owner(project, filled):
    case = _failed_case(project, filled["owner"])
    verdict = project_review(_fresh(project)).verdict
    [group] = [c for c in verdict.checks_with_blockers if c.key == "exceptions"]
    [blocker] = group.blockers
    assert (blocker.item_kind, blocker.item_pk, blocker.item_name) == (
        "exceptions",
        case.pk,
        case.name,
    )
    assert (blocker.owner, blocker.owner_role) == ("Dana Steward", "decision owner")


def test_an_item_without_an_owner_falls_to_the_checks_signatory(project, filled):
    # "Credit limit" has no steward; check 1 has no signatory either.
    verdict = project_review(_fresh(project)).verdict
    [data] = [c for c in verdict.checks_with_blockers if c.key == "data"]
    assert all(b.owner == "" for b in data.blockers if b.item_name == "Credit limit")


def test_overview_groups_blockers_by_check_with_links_and_owners(lead_client, project, filled):
    case = _failed_case(project, filled["owner"])
    verdict = project_review(_fresh(project)).verdict
    html = _section(lead_client.get(project.get_absolute_url()).content.decode())
    assert f"Blockers ({verdict.blocker_count})" in html
    exceptions = reverse(
        "reviews:check", kwargs={"slug": project.slug, "key": "exceptions", "step": "findings"}
    )
    assert f'<a href="{exceptions}">Check 3 · Exceptions</a>' in html
    item = reverse(
        "reviews:item", kwargs={"slug": project.slug, "kind": "exceptions", "pk": case.pk}
    )
    assert f'<a href="{item}">{case.name}</a>' in html
    assert "owner Dana Steward (decision owner)" in html
    # The plan lock is said once, not after every blocker; unsigned checks are not blockers.
    assert html.count("plan lock") == 1
    assert "not signed off" not in html


def test_the_same_count_on_the_overview_the_portfolio_and_the_dossier(lead_client, project, filled):
    _failed_case(project, filled["owner"])
    review = project_review(_fresh(project))
    count = review.verdict.blocker_count
    assert count == sum(len(c.open_blockers) for c in review.checks) >= 2
    assert review.verdict.unsigned_checks  # unsigned checks exist, and are not counted

    overview = lead_client.get(project.get_absolute_url()).content.decode()
    portfolio = lead_client.get(reverse("dossiers:portfolio")).content.decode()
    html = render_html(build_snapshot(_fresh(project)), None)
    assert f"Blockers ({count})" in overview
    assert f"{count}</span> blocker" in portfolio and f"Blockers ({count})" in portfolio
    assert f"Blockers ({count})" in html
    assert f"{count} open blocker" in html  # the cover
    # The dossier's severity table counts the same open blockers.
    row = re.search(r"sev-blocker\">Blocker</span></td><td class=\"num\">(\d+)<", html)
    assert int(row.group(1)) == count


def test_long_lists_stay_bounded_and_link_to_the_rest(lead_client, project, filled):
    for i in range(BLOCKERS_LISTED + 3):
        _failed_case(project, filled["owner"], name=f"Failed case {i:02}")
    html = _section(lead_client.get(project.get_absolute_url()).content.decode())
    assert html.count("Failed case") == BLOCKERS_LISTED
    assert "and 3 more in Check 3 · Exceptions" in html


def test_the_dossier_lists_owner_due_date_and_the_decision_asked(project, filled):
    _failed_case(project, filled["owner"])
    project = _fresh(project)
    pages = pdf_pages_text(render_pdf(render_html(build_snapshot(project), None)))
    summary = next(p for p in pages if "Executive summary" in p and "Blockers (" in p)
    assert "Order changed after approval" in summary
    assert "Dana Steward (decision owner)" in summary
    assert f"{project.plan_lock_date:%-d %b %Y}" in summary
    assert "Fix before plan lock, or accept the risk (two-person acceptance)" in summary


def test_the_dossier_pages_are_not_left_mostly_empty(project, filled):
    project = _fresh(project)
    snapshot = build_snapshot(project)
    pages = pdf_pages_text(render_pdf(render_html(snapshot, None)))
    # The contents share a page with the executive summary.
    assert "Contents" in pages[1] and "Executive summary" in pages[1]
    # "Nothing to compare yet" is a paragraph in the flow, not a page of its own.
    [first] = [p for p in pages if "there is nothing to compare" in p]
    assert "Register:" in first or "Duties" in first
    # Content hashes are in the appendix at the end, not in the check sections.
    check_hash = snapshot["checks"][0]["content_hash"]
    assert [i for i, p in enumerate(pages) if check_hash in p] == [len(pages) - 1]
    assert "Appendix C · Content hashes" in pages[-1]


def test_the_dossier_keeps_blockers_by_name_never_by_id(project, filled):
    case = _failed_case(project, filled["owner"])
    snapshot = build_snapshot(_fresh(project))
    [group] = [c for c in snapshot["verdict"]["checks"] if c["key"] == "exceptions"]
    assert group["blockers"] == [
        {
            "title": "Exception case failed its test",
            "item_name": case.name,
            "more_items": 0,
            "owner": "Dana Steward",
            "owner_role": "decision owner",
            "proposed_by": "",
        }
    ]
