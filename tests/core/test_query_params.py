"""Every page answers odd query strings with the page, never a server error: control
characters are dropped, unknown values ignored, pages out of range show the last page."""

import pytest
from django.urls import reverse

from tests.factories import DataElementFactory

pytestmark = pytest.mark.django_db

ODD = [
    "q=%00",
    "q=a%00b%01%7f",
    "%00=1",
    "sort=--name",
    "sort=%00",
    "page=abc",
    "page=-1",
    "page=99999999999999999999999",
    "page=" + "9" * 5000,
    "page=1&page=2",
    "person=%C2%B2&item=%C2%B2&register=data",
    "register=%00&person=-1&from=0000-00-00&to=9999-99-99",
    "from=0001-01-01&to=9999-12-31",
    "stale_page=%00",
    "q=" + "x" * 10000,
]


def _pages(project):
    slug = project.slug
    return [
        reverse("projects:list"),
        reverse("projects:overview", kwargs={"slug": slug}),
        reverse("projects:activity", kwargs={"slug": slug}),
        reverse("registers:list", kwargs={"slug": slug, "kind": "data-elements"}),
        reverse("reviews:check", kwargs={"slug": slug, "key": "data", "step": "findings"}),
        reverse("reviews:my-signoffs"),
        reverse("dossiers:list", kwargs={"slug": slug}),
        reverse("dossiers:portfolio"),
    ]


@pytest.mark.parametrize("query", ODD)
def test_every_page_answers_odd_query_strings(lead_client, project, query):
    for url in _pages(project):
        response = lead_client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query, response.status_code)


def test_a_page_past_the_end_shows_the_last_page(lead_client, project):
    for n in range(60):
        DataElementFactory(project=project, name=f"Element {n:02}")
    url = reverse("registers:list", kwargs={"slug": project.slug, "kind": "data-elements"})
    last = lead_client.get(f"{url}?sort=name&page=999").text
    assert "Element 59" in last and "Element 00" not in last
    first = lead_client.get(f"{url}?sort=name&page=abc").text
    assert "Element 00" in first
