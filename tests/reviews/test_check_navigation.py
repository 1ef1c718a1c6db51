"""Moving between checks: the menu opens the first check that needs work, every check page shows
the five checks and where it stands, and a signed check points to the next unsigned one."""

from django.urls import reverse

from readiness.reviews import services
from readiness.reviews.checks import CHECKS, get_check
from tests.reviews.support import answer_all, check_url, member_owner, name_signatory


def test_checks_in_the_menu_opens_the_first_check_not_signed(lead_client, project):
    url = reverse("reviews:checks", kwargs={"slug": project.slug})
    assert lead_client.get(url)["Location"] == check_url(project, "data", "questions")
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    answer_all(project, "data")
    services.check_sign(project=project, check=get_check("data"), statement="OK", user=user)
    assert lead_client.get(url)["Location"] == check_url(project, "handoffs", "questions")


def test_checks_menu_is_hidden_from_outsiders(outsider_client, project):
    assert (
        outsider_client.get(reverse("reviews:checks", kwargs={"slug": project.slug})).status_code
        == 404
    )


def test_every_check_page_shows_the_five_checks_and_marks_the_current(viewer_client, project):
    html = viewer_client.get(check_url(project, "exceptions", "findings")).content.decode()
    nav = html.split('<nav class="checknav"')[1].split("</nav>")[0]
    for check in CHECKS:
        assert check_url(project, check.key, "findings") in nav
        assert check.title in nav
    current = nav.split('aria-current="page"')[1]
    assert current.split("</a>")[0].count("Exceptions") == 1
    assert 'data-remember="check-intro"' in html and "About this check" in html
    assert "js/remember-details.js" in html


def test_after_signing_the_page_points_to_the_next_unsigned_check(client, project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    answer_all(project, "data")
    services.check_sign(project=project, check=get_check("data"), statement="OK", user=user)
    client.force_login(user)
    html = client.get(check_url(project, "data", "signoff")).content.decode()
    assert "Next unsigned check: 2 · Handoffs" in html
    assert check_url(project, "handoffs", "questions") in html
