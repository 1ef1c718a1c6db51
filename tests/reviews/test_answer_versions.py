"""No lost update on answers: a save from a page opened before someone else's save is refused,
their answer is shown, and what you typed is kept."""

import re

import pytest

from readiness.reviews.checks import get_check
from readiness.reviews.models import Answer
from tests.reviews.support import HTMX, answer_url, check_url

pytestmark = pytest.mark.django_db

KEY = "data"
Q = get_check(KEY).questions[0].key


def _opened_version(client, project) -> str:
    html = client.get(check_url(project, KEY, "questions")).text
    match = re.search(rf'name="{Q}-opened_version" value="(\d+)"', html)
    assert match, "the question form carries the version it was opened at"
    return match.group(1)


def _post(client, project, version, answer, note, **kwargs):
    data = {f"{Q}-answer": answer, f"{Q}-note": note, f"{Q}-opened_version": version}
    return client.post(answer_url(project, KEY, Q), data, **kwargs)


def test_it_refuses_a_stale_save_and_keeps_the_typed_note(project, lead_client, contributor_client):
    opened_by_lead = _opened_version(lead_client, project)
    opened_by_contributor = _opened_version(contributor_client, project)
    assert _post(contributor_client, project, opened_by_contributor, "no", "No owner yet.")

    response = _post(
        lead_client, project, opened_by_lead, "yes", "All mapped, see sheet 3.", headers=HTMX
    )

    assert response.status_code == 200
    assert "Someone else saved this answer after you opened the page" in response.text
    assert "No owner yet." in response.text  # theirs, shown
    assert "All mapped, see sheet 3.</textarea>" in response.text  # mine, kept
    answer = Answer.objects.get(project=project, check_key=KEY, question_key=Q)
    assert (answer.answer, answer.note) == ("no", "No owner yet.")

    # Saving again, from the page that now shows their answer, replaces it.
    version = re.search(rf'name="{Q}-opened_version" value="(\d+)"', response.text).group(1)
    _post(lead_client, project, version, "yes", "All mapped, see sheet 3.", headers=HTMX)
    answer.refresh_from_db()
    assert (answer.answer, answer.note) == ("yes", "All mapped, see sheet 3.")


def test_a_plain_stale_save_answers_409_with_the_page(project, lead_client, contributor_client):
    opened = _opened_version(lead_client, project)
    _post(contributor_client, project, _opened_version(contributor_client, project), "na", "")

    response = _post(lead_client, project, opened, "partly", "Half of it.")

    assert response.status_code == 409
    assert "Someone else saved this answer" in response.text
    assert "Half of it.</textarea>" in response.text


def test_your_own_saves_in_between_never_conflict(project, lead_client):
    opened = _opened_version(lead_client, project)
    for note in ["Mapped", "Mapped, see", "Mapped, see sheet 3."]:  # autosave while typing
        response = _post(lead_client, project, opened, "partly", note, headers=HTMX)
        assert "Someone else saved" not in response.text
    answer = Answer.objects.get(project=project, check_key=KEY, question_key=Q)
    assert answer.note == "Mapped, see sheet 3." and answer.version == 3
