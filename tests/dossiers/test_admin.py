"""The dossier admin is read-only: a dossier is an immutable record."""

import pytest
from django.urls import reverse

from readiness.dossiers.services import dossier_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_it_lists_and_shows_dossiers_without_editing(admin_client, project, lead):
    dossier = dossier_request(project=project, user=lead)
    listing = admin_client.get(reverse("admin:dossiers_dossier_changelist"))
    assert listing.status_code == 200
    assert b"Northwind ERP cutover" in listing.content
    page = admin_client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert b'name="status"' not in page.content  # read-only, no form fields
    assert admin_client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
