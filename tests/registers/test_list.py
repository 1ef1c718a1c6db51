"""Register lists: filter by owner and status, search, sort, and pages of 25."""

import re

import pytest
from django.urls import reverse

from readiness.registers.models import TestStatus as CaseStatus
from readiness.registers.selectors import PAGE_SIZE
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    OwnerFactory,
    SystemFactory,
)


def _url(project, kind):
    return reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})


def _names(response):
    """Names of the listed items, in order of the rows."""
    return [item.name for item in response.context["listing"].items]


@pytest.fixture
def exceptions(project):
    alice = OwnerFactory(project=project, name="Alice")
    bob = OwnerFactory(project=project, name="Bob")
    return {
        "alice": alice,
        "bob": bob,
        "cases": [
            ExceptionCaseFactory(project=project, name="Credit hold", decision_owner=alice),
            ExceptionCaseFactory(
                project=project,
                name="Duplicate customer",
                decision_owner=bob,
                test_status=CaseStatus.PASSED,
            ),
            ExceptionCaseFactory(
                project=project,
                name="Address missing",
                decision_owner=None,
                test_status=CaseStatus.FAILED,
            ),
            ExceptionCaseFactory(project=project, name="Blocked vendor", decision_owner=None),
        ],
    }


def test_it_lists_items_of_this_project_only(viewer_client, project, other_project, exceptions):
    ExceptionCaseFactory(project=other_project, name="Not ours")
    response = viewer_client.get(_url(project, "exceptions"))
    assert _names(response) == [
        "Address missing",
        "Blocked vendor",
        "Credit hold",
        "Duplicate customer",
    ]
    assert "Not ours" not in response.content.decode()
    assert "4 exception cases" in response.content.decode()


def test_it_filters_by_test_status(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"status": "untested"})
    assert _names(response) == ["Blocked vendor", "Credit hold"]
    assert '<option value="untested" selected>' in response.content.decode()


def test_it_filters_by_owner(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"owner": exceptions["bob"].pk})
    assert _names(response) == ["Duplicate customer"]


def test_it_filters_items_without_owner(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"owner": "none"})
    assert _names(response) == ["Address missing", "Blocked vendor"]


def test_it_combines_filters(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"owner": "none", "status": "failed"})
    assert _names(response) == ["Address missing"]


def test_it_ignores_owner_of_another_project(viewer_client, project, other_project, exceptions):
    foreign = OwnerFactory(project=other_project)
    response = viewer_client.get(_url(project, "exceptions"), {"owner": foreign.pk})
    assert len(_names(response)) == 4
    assert response.context["listing"].filters[0].value == ""


@pytest.mark.parametrize("value", ["bogus", "999999", "'; drop table"])
def test_it_ignores_unknown_filter_values(viewer_client, project, exceptions, value):
    response = viewer_client.get(_url(project, "exceptions"), {"status": value, "owner": value})
    assert response.status_code == 200
    assert len(_names(response)) == 4


def test_it_offers_only_this_projects_owners(viewer_client, project, other_project, exceptions):
    OwnerFactory(project=other_project, name="Mallory Foreign")
    html = viewer_client.get(_url(project, "exceptions")).content.decode()
    assert ">Alice</option>" in html
    assert "Mallory Foreign" not in html


def test_it_searches_names(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"q": "CUSTOMER"})
    assert _names(response) == ["Duplicate customer"]
    assert 'value="CUSTOMER"' in response.content.decode()


def test_it_says_when_nothing_matches(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"q": "zebra"})
    assert _names(response) == []
    assert "No exception case matches" in response.content.decode()


def test_it_searches_systems_by_vendor(viewer_client, project):
    SystemFactory(project=project, name="ERP", vendor="Globex")
    SystemFactory(project=project, name="CRM", vendor="Initech")
    response = viewer_client.get(_url(project, "systems"), {"q": "globex"})
    assert _names(response) == ["ERP"]


def test_it_searches_duties_by_handoff_name(viewer_client, project):
    DutyFactory(project=project, handoff=HandoffFactory(project=project, name="Order to cash"))
    DutyFactory(project=project, handoff=HandoffFactory(project=project, name="Hire to retire"))
    response = viewer_client.get(_url(project, "duties"), {"q": "cash"})
    assert [d.handoff.name for d in response.context["listing"].items] == ["Order to cash"]


def test_it_sorts_by_name_both_ways(viewer_client, project, exceptions):
    ascending = viewer_client.get(_url(project, "exceptions"), {"sort": "name"})
    descending = viewer_client.get(_url(project, "exceptions"), {"sort": "-name"})
    assert _names(ascending) == sorted(_names(ascending))
    assert _names(descending) == list(reversed(_names(ascending)))
    html = descending.content.decode()
    assert 'aria-sort="descending"' in html


def test_it_sorts_by_related_owner_name(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"sort": "-decision_owner__name"})
    owned = [name for name in _names(response) if name in {"Duplicate customer", "Credit hold"}]
    assert owned == ["Duplicate customer", "Credit hold"]  # where NULLs go depends on the database


def test_it_ignores_unsortable_columns(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"sort": "scenario"})
    assert response.context["listing"].sort == ""
    assert len(_names(response)) == 4


def test_it_keeps_filters_in_sort_links(viewer_client, project, exceptions):
    response = viewer_client.get(_url(project, "exceptions"), {"status": "untested", "q": "c"})
    html = response.content.decode()
    assert "?status=untested&amp;q=c&amp;sort=name" in html


class TestPagination:
    @pytest.fixture
    def elements(self, project):
        return [
            DataElementFactory(project=project, name=f"Element {n:02d}")
            for n in range(PAGE_SIZE + 5)
        ]

    def test_it_shows_25_per_page(self, viewer_client, project, elements):
        response = viewer_client.get(_url(project, "data-elements"))
        names = _names(response)
        assert PAGE_SIZE == 25
        assert names == [f"Element {n:02d}" for n in range(25)]
        html = response.content.decode()
        assert "Page 1 of 2" in html
        assert "?page=2" in html
        assert "30 data elements" in html

    def test_it_shows_the_rest_on_page_two(self, viewer_client, project, elements):
        response = viewer_client.get(_url(project, "data-elements"), {"page": 2})
        assert _names(response) == [f"Element {n:02d}" for n in range(25, 30)]
        assert "?page=1" in response.content.decode()

    @pytest.mark.parametrize("page", ["99", "abc", "-1"])
    def test_it_copes_with_bad_page_numbers(self, viewer_client, project, elements, page):
        response = viewer_client.get(_url(project, "data-elements"), {"page": page})
        assert response.status_code == 200
        assert len(_names(response)) in {5, 25}

    def test_it_keeps_sort_and_search_across_pages(self, viewer_client, project, elements):
        response = viewer_client.get(
            _url(project, "data-elements"), {"sort": "-name", "q": "element"}
        )
        assert _names(response)[0] == "Element 29"
        assert re.search(r"\?q=element&amp;sort=-name&amp;page=2", response.content.decode())


def test_it_returns_only_the_table_to_htmx(viewer_client, project, exceptions):
    response = viewer_client.get(
        _url(project, "exceptions"),
        {"status": "untested"},
        headers={"HX-Request": "true", "HX-Target": "register-table"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="register-table">')
    assert "<html" not in html
    assert "Credit hold" in html
    assert "Duplicate customer" not in html


def test_it_escapes_user_input_everywhere_in_a_row(lead_client, project):
    system = SystemFactory(project=project, name="<b>ERP</b>")
    steward = OwnerFactory(project=project, name="<i>Eve</i>")
    DataElementFactory(
        project=project,
        name="<script>alert(1)</script>",
        system_of_truth=system,
        steward=steward,
        consuming_systems=[system],
    )
    html = lead_client.get(_url(project, "data-elements")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>ERP</b>" not in html
    assert "<i>Eve</i>" not in html
