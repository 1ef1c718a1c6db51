"""A stale check sign-off explains itself: which answers, register rows and findings changed
since the signature, from what to what, and who changed them — on the check's sign-off step
and in the signer's My sign-offs."""

import pytest
from django.urls import reverse

from readiness.reviews import services
from readiness.reviews.checks import get_check
from tests.factories import create_data
from tests.reviews.support import (
    HTMX,
    answer_all,
    answer_url,
    check_url,
    member_owner,
    name_signatory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(project):
    """Sam Signer signed check 1 (data) with every question answered “yes”."""
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    answer_all(project, "data")
    services.check_sign(project=project, check=get_check("data"), statement="OK", user=user)
    return user


@pytest.fixture
def sam_client(client, sam):
    client.force_login(sam)
    return client


def _changes_table(html: str) -> str:
    return html.split('class="table compact changes"')[1].split("</table>")[0]


def _rows(table: str) -> list[str]:
    return table.split("<tbody>")[1].split("</tr>")[:-1]


def _answer(client, project, question, answer, note=""):
    client.post(
        answer_url(project, "data", question),
        {f"{question}-answer": answer, f"{question}-note": note},
        headers=HTMX,
    )


def test_it_shows_changed_answers_in_words_with_who_changed_them(
    sam_client, contributor_client, project
):
    _answer(contributor_client, project, "records_listed", "na")
    prompt = next(q.prompt for q in get_check("data").questions if q.key == "records_listed")

    for url in (check_url(project, "data", "signoff"), reverse("reviews:my-signoffs")):
        table = _changes_table(sam_client.get(url).text)
        [row] = _rows(table)
        assert f'<td data-label="What">Question “{prompt}”</td>' in row
        assert '<td data-label="Field">Answer</td>' in row
        assert '<td class="old" data-label="Signed">Yes</td>' in row
        assert '<td class="new" data-label="Now">Not applicable</td>' in row
        assert "Contributor Example, " in row


def test_it_shows_a_register_row_added_and_the_finding_it_raised(
    sam_client, contributor_client, project
):
    contributor_client.post(
        reverse("registers:item-create", kwargs={"slug": project.slug, "kind": "data-elements"}),
        {
            **create_data("data-elements", name="Invoice", criticality="critical"),
            "confirm_stale": "1",
        },
    )

    rows = _rows(_changes_table(sam_client.get(check_url(project, "data", "signoff")).text))
    added = next(r for r in rows if '<td data-label="What">Data element “Invoice”</td>' in r)
    assert '<td data-label="Field">Added</td>' in added
    assert "Contributor Example, " in added
    raised = [r for r in rows if '<td data-label="Field">New finding</td>' in r]
    assert raised
    assert all('<td class="new" data-label="Now">Blocker</td>' in r or "High" in r for r in raised)
    mine = sam_client.get(reverse("reviews:my-signoffs")).text
    assert f"What changed since you signed ({len(rows)})" in mine
