from django.urls import reverse

from tests.factories import edit_data, make_item


def test_it_names_the_plural_of_a_register_properly(lead_client, project):
    make_item("duties", project)
    make_item("duties", project)
    url = reverse("registers:list", kwargs={"slug": project.slug, "kind": "duties"})
    response = lead_client.get(url)
    assert "2 duties" in response.text
    assert "dutys" not in response.text


def test_a_refused_stale_edit_keeps_the_stored_name_in_the_heading(lead_client, project):
    item = make_item("data-elements", project, name="Invoice")
    url = reverse(
        "registers:item-edit", kwargs={"slug": project.slug, "kind": "data-elements", "pk": item.pk}
    )
    stale = edit_data("data-elements", item, name="Invoice (typed in tab two)")
    lead_client.post(url, edit_data("data-elements", item, definition="Saved first"))
    response = lead_client.post(url, stale)
    assert "changed by someone else since you opened it" in response.text
    assert "Edit data element “Invoice”" in response.text
    assert 'value="Invoice (typed in tab two)"' in response.text
