"""An answer saved in place tells the page: a message for its live region, and the verdict bar,
the five-check menu and the check's status as they stand after the save (out-of-band)."""

import pytest

from readiness.reviews.checks import get_check
from tests.reviews.support import HTMX, answer_url, check_url

pytestmark = pytest.mark.django_db

CHECK = get_check("data")
Q = CHECK.questions[0]


def _post(client, project, answer, note="", **headers):
    data = {f"{Q.key}-answer": answer, f"{Q.key}-note": note, f"{Q.key}-opened_version": ""}
    return client.post(answer_url(project, CHECK.key, Q.key), data, headers={**HTMX, **headers})


def test_a_chosen_answer_is_announced_with_the_verdict_bar(lead_client, project):
    html = _post(lead_client, project, "yes").text
    assert f'<div id="live-status" hx-swap-oob="innerHTML">Saved — {Q.prompt}</div>' in html
    assert 'id="verdict-bar" hx-swap-oob="true"' in html
    assert 'id="checknav" aria-label="The five checks" hx-swap-oob="true"' in html
    assert 'id="check-status" hx-swap-oob="true"' in html
    assert 'id="stepper" aria-label="Steps" hx-swap-oob="true"' in html


def test_a_note_saved_while_typing_is_not_announced(lead_client, project):
    html = _post(
        lead_client,
        project,
        "partly",
        "Two sources disagree.",
        **{"HX-Trigger": f"id_{Q.key}-note"},
    ).text
    assert '<div id="live-status" hx-swap-oob="innerHTML"></div>' in html
    assert 'class="saved small">Saved<' in html  # the status line beside the note says so


def test_the_check_page_shows_the_verdict_bar(viewer_client, project):
    html = viewer_client.get(check_url(project, CHECK.key, "questions")).text
    assert 'id="verdict-bar"' in html
    assert "Not ready" in html
