"""Register pages answer odd input with a page, never a server error."""

import pytest
from django.urls import reverse

from readiness.projects.models import Owner
from readiness.registers.specs import SPECS
from tests.reviews.support import HTMX, name_signatory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(SPECS))
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b%01", "sort=--name", "sort=-", "page=99999"])
def test_it_answers_odd_query_strings_with_the_page(lead_client, project, kind, query):
    url = reverse("registers:list", kwargs={"slug": project.slug, "kind": kind})
    assert lead_client.get(f"{url}?{query}").status_code == 200


def test_it_explains_why_a_signatory_cannot_be_deleted(lead_client, project):
    owner = Owner.objects.create(project=project, name="Helen Marsh")
    name_signatory(project, "data", owner)
    url = reverse(
        "registers:item-delete", kwargs={"slug": project.slug, "kind": "owners", "pk": owner.pk}
    )
    response = lead_client.post(url)
    assert response.status_code == 409
    assert "Helen Marsh signs Check 1 · Data that must move" in response.text
    htmx = lead_client.post(url, headers=HTMX)
    assert htmx.status_code == 200
    assert "cannot be deleted while it is still needed" in htmx.text
    assert Owner.objects.filter(pk=owner.pk).exists()
