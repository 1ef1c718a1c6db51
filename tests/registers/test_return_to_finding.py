"""Fixing from a finding keeps your place: the edit opened from a finding (or an item's page)
returns there after saving; anywhere else, or outside the project, it returns to the list."""

import pytest
from django.urls import reverse

from readiness.registers.models import Criticality, DataElement
from readiness.reviews.selectors import project_review
from tests.factories import DataElementFactory, edit_data
from tests.reviews.support import check_url


def _edit_url(project, element):
    return reverse(
        "registers:item-edit",
        kwargs={"slug": project.slug, "kind": "data-elements", "pk": element.pk},
    )


def test_a_finding_links_to_the_fix_and_the_save_returns_to_the_finding(lead_client, project):
    element = DataElementFactory(
        project=project, name="Credit limit", criticality=Criticality.CRITICAL
    )
    [blocker] = project_review(project).check("data").open_blockers
    findings = check_url(project, "data", "findings")
    html = lead_client.get(findings).content.decode()
    link = f"{_edit_url(project, element)}?next={findings}%23{blocker.anchor}"
    assert f'href="{link}"' in html and "Fix Credit limit" in html

    next_url = f"{findings}#{blocker.anchor}"
    form = lead_client.get(_edit_url(project, element), {"next": next_url}).content.decode()
    assert f'name="next" value="{next_url}"' in form
    data = edit_data("data-elements", element, definition="Agreed with credit control.")
    response = lead_client.post(_edit_url(project, element), {**data, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert DataElement.objects.get(pk=element.pk).definition == "Agreed with credit control."


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/projects/", "/projects/elsewhere/", "/admin/"],
)
def test_a_foreign_return_address_is_ignored(lead_client, project, next_url):
    element = DataElementFactory(project=project, name="Customer")
    data = edit_data("data-elements", element, definition="x")
    response = lead_client.post(_edit_url(project, element), {**data, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registers:list", kwargs={"slug": project.slug, "kind": "data-elements"}
    )
