"""The Rules page: every warning sign with what it checks, why, how to clear it and its
severity logic, generated from the rule definitions; linked from every derived finding."""

from django.urls import reverse
from django.utils.html import escape

from readiness.registers.models import Criticality
from readiness.reviews.checks import CHECKS
from readiness.reviews.rules import RULE_DOCS
from tests.factories import DataElementFactory
from tests.reviews.support import check_url

URL = reverse("reviews:rules")


def test_it_sends_anonymous_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_every_rule_to_any_signed_in_user(outsider_client):
    html = outsider_client.get(URL).content.decode()
    for key, doc in RULE_DOCS.items():
        assert f'id="rule-{key}"' in html
        for text in (doc.title, doc.checks, doc.why, doc.clear, *doc.severity):
            assert escape(text) in html, (key, text)


def test_it_groups_rules_under_the_check_they_belong_to(viewer_client):
    html = viewer_client.get(URL).content.decode()
    positions = [html.index(f"Check {c.number} · {c.title}</h2>") for c in CHECKS]
    assert positions == sorted(positions)
    for check in CHECKS:
        for key in check.rules:
            assert RULE_DOCS[key].check == check.key


def test_it_refuses_post(viewer_client):
    assert viewer_client.post(URL).status_code == 405


def test_each_finding_links_to_its_rule(viewer_client, project):
    DataElementFactory(project=project, name="Customer", criticality=Criticality.CRITICAL)
    html = viewer_client.get(check_url(project, "data", "findings")).content.decode()
    assert f'href="{URL}#rule-truth_missing_or_disputed"' in html
