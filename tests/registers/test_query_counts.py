"""Every list page costs the same number of queries at 5 rows as at 50.

Items are linked to owners, systems and data elements so that every select_related and
prefetch_related of the pages is exercised; a missing one shows up as a count that grows.
Handoffs and exception cases are also signed (with a stale hash, so the page recomputes each
item's content): their lists show a sign-off badge per row.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.projects.models import Role
from readiness.registers.models import Handoff
from readiness.registers.specs import SPECS
from readiness.reviews.models import SignOff, SubjectKind
from tests.factories import (
    BlackoutPeriodFactory,
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    MembershipFactory,
    OwnerFactory,
    ProjectFactory,
    ReportFactory,
    SystemFactory,
    UserFactory,
)

# What rendering costs, so no kept page (tests/core/test_kept_pages.py) answers instead.
pytestmark = pytest.mark.usefixtures("pages_rendered_each_time")

SMALL, LARGE = 5, 50


def _sign(item, owner):
    handoff = isinstance(item, Handoff)
    SignOff.objects.create(
        project=item.project,
        subject_kind=SubjectKind.HANDOFF if handoff else SubjectKind.EXCEPTION,
        handoff=item if handoff else None,
        exception_case=None if handoff else item,
        subject_name=item.name,
        owner=owner,
        owner_name=owner.name,
        signer=owner.user,
        statement="I own this and it is ready.",
        content_hash="0" * 64,  # stale: forces the page to hash the current content
        content={},
    )


def _add_items(kind, project, n):
    """Add n items of one register, each with all its links filled in."""
    owner = OwnerFactory(project=project, user=UserFactory())
    erp, crm = SystemFactory(project=project), SystemFactory(project=project)
    element = DataElementFactory(project=project, consuming_systems=[erp])
    handoff = HandoffFactory(project=project) if kind == "exceptions" else None
    for _ in range(n if kind != "data-elements" else n - 1):
        if kind == "data-elements":
            DataElementFactory(
                project=project, steward=owner, system_of_truth=erp, consuming_systems=[erp, crm]
            )
        elif kind == "handoffs":
            item = HandoffFactory(
                project=project,
                from_system=erp,
                to_system=crm,
                receiving_owner=owner,
                fixer=owner,
                data_elements=[element],
            )
            _sign(item, owner)
        elif kind == "exceptions":
            item = ExceptionCaseFactory(
                project=project, handoff=handoff, decision_owner=owner, data_elements=[element]
            )
            _sign(item, owner)
        elif kind == "reports":
            ReportFactory(
                project=project, owner=owner, source_elements=[element], source_systems=[erp, crm]
            )
        elif kind == "duties":
            DutyFactory(project=project, owner=owner)
        elif kind == "owners":
            OwnerFactory(project=project, user=UserFactory())
        elif kind == "systems":
            SystemFactory(project=project)
        elif kind == "blackouts":
            BlackoutPeriodFactory(project=project)


def _count_queries(client, url) -> tuple[int, int]:
    """Queries of the first visit after a change (which reviews the project and renders what
    is kept) and of every visit after it, until the next change."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return tuple(counts)


def _assert_flat(client, url, grow, label):
    """Count the queries of GET url at SMALL rows, grow to LARGE rows, count again."""
    grow(SMALL)
    small = _count_queries(client, url)
    grow(LARGE - SMALL)
    large = _count_queries(client, url)
    print(f"\nqueries {label}: {SMALL} rows → {small}, {LARGE} rows → {large}")
    assert small == large, f"{label}: {small} queries at {SMALL} rows, {large} at {LARGE}"
    return small


@pytest.mark.parametrize("kind", list(SPECS))
def test_register_list_queries_stay_flat(lead_client, project, kind):
    url = reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})
    _assert_flat(lead_client, url, lambda n: _add_items(kind, project, n), f"register {kind}")
    response = lead_client.get(url)
    html = response.content.decode()
    assert html.count('<tr id="row-') == 25
    if kind in {"handoffs", "exceptions"}:
        assert response.content.decode().count(">Stale</a>") == 25


def test_project_list_queries_stay_flat(lead_client, lead):
    def grow(n):
        for _ in range(n):
            project = ProjectFactory()
            MembershipFactory(project=project, user=lead, role=Role.CONTRIBUTOR)
            MembershipFactory(project=project, role=Role.LEAD)

    url = reverse("projects:list")
    # The lead's own project is reviewed once for the navigation count (a lead approves
    # acceptances); growth adds projects where the lead has nothing to approve or sign.
    lead_client.get(url)
    _assert_flat(lead_client, url, grow, "project list")
    assert len(lead_client.get(url).context["projects"]) == LARGE + 1  # and `project`


def test_project_overview_queries_stay_flat(lead_client, project):
    def grow(n):
        for kind in SPECS:
            _add_items(kind, project, n)
        for _ in range(n):
            MembershipFactory(project=project, role=Role.VIEWER)

    _assert_flat(lead_client, project.get_absolute_url(), grow, "project overview")
