"""Kept pages: a page is served from the cache only while what it shows is unchanged, and
whatever differs per request (CSRF token, flash messages, the navigation count) is fresh."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from readiness.core import pages
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.projects.models import Membership, Role
from tests.factories import HandoffFactory, OwnerFactory, UserFactory, edit_data

pytestmark = pytest.mark.django_db


def _register(project):
    return reverse("registers:list", args=[project.slug, "handoffs"])


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_page_is_served_without_rendering_and_changes_with_the_project(lead_client, project):
    handoff = HandoffFactory(project=project, name="Dispatch to invoice")
    url = _register(project)
    assert "Dispatch to invoice" in _get(lead_client, url)
    with CaptureQueriesContext(connection) as hit:
        assert "Dispatch to invoice" in _get(lead_client, url)
    # The user, then the project with the role: nothing about the register itself.
    assert len(hit) <= 2

    edit = reverse("registers:item-edit", args=[project.slug, "handoffs", handoff.pk])
    response = lead_client.post(edit, edit_data("handoffs", handoff, name="Dispatch to billing"))
    assert response.status_code in (200, 302)
    page = _get(lead_client, url)
    assert "Dispatch to billing" in page and "Dispatch to invoice" not in page


def test_each_browser_gets_its_own_csrf_token_on_a_kept_page(lead, project):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(lead)
    second.force_login(lead)
    url = reverse("projects:members", args=[project.slug])
    _get(first, url)
    page = _get(second, url)  # kept from the first browser's visit
    assert pages.CSRF_SLOT.decode() not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # The second browser's token works for its own post (the logout form is on every page).
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_flash_messages_show_once_on_a_kept_page(lead_client, project):
    url = reverse("projects:members", args=[project.slug])
    _get(lead_client, url)  # kept
    newcomer = UserFactory(username="newcomer")
    response = lead_client.post(url, {"user": newcomer.username, "role": Role.VIEWER}, follow=True)
    assert response.redirect_chain  # saved, then shown the members page with the message
    assert "newcomer added as Viewer." in response.content.decode()
    assert 'class="messages"' not in _get(lead_client, url)


def test_the_navigation_count_is_current_on_a_kept_page(lead, lead_client, project, other_project):
    url = reverse("projects:members", args=[project.slug])
    assert '<span class="count">' not in _get(lead_client, url)
    # Something to sign appears in another project: the kept page of this one shows it.
    Membership.objects.create(project=other_project, user=lead, role=Role.CONTRIBUTOR)
    owner = OwnerFactory(project=other_project, name="Lead Person", user=lead)
    HandoffFactory(project=other_project, receiving_owner=owner)
    page = _get(lead_client, url)
    assert re.search(r'<span class="count">\d+</span>', page)


def test_a_removed_member_is_refused_a_page_kept_for_them(viewer, viewer_client, lead, project):
    url = _register(project)
    _get(viewer_client, url)
    membership = Membership.objects.get(project=project, user=viewer)
    lead_client = Client()
    lead_client.force_login(lead)
    remove = reverse("projects:member-remove", args=[project.slug, membership.pk])
    assert lead_client.post(remove).status_code in (200, 302)
    assert viewer_client.get(url).status_code == 404


def test_a_page_refused_to_a_role_is_never_kept_for_it(lead_client, viewer_client, project):
    url = reverse("projects:members", args=[project.slug])  # leads only
    _get(lead_client, url)
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_a_non_member_never_gets_a_kept_page(lead_client, outsider_client, project):
    url = _register(project)
    _get(lead_client, url)
    assert outsider_client.get(url).status_code == 404


def test_each_user_and_role_gets_their_own_page(lead_client, viewer_client, project):
    url = _register(project)
    lead_page = _get(lead_client, url)
    viewer_page = _get(viewer_client, url)
    new = reverse("registers:item-create", args=[project.slug, "handoffs"])
    assert new in lead_page
    assert new not in viewer_page


def test_the_dossier_list_follows_a_running_job(lead_client, lead, project):
    url = reverse("dossiers:list", args=[project.slug])
    _get(lead_client, url)
    dossier = Dossier.objects.create(
        project=project, number=1, requested_by=lead, snapshot={}, snapshot_hash="x", verdict="x"
    )
    assert "v1" in _get(lead_client, url)
    dossier.status = DossierStatus.FAILED
    dossier.error = "The renderer stopped."
    dossier.save()
    assert "The renderer stopped." in _get(lead_client, url)


def test_a_page_kept_yesterday_is_not_served_today(lead_client, project, monkeypatch):
    url = reverse("projects:members", args=[project.slug])
    _get(lead_client, url)
    with CaptureQueriesContext(connection) as same_day:
        _get(lead_client, url)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    with CaptureQueriesContext(connection) as next_day:
        _get(lead_client, url)
    assert len(next_day) > len(same_day)  # rendered anew: day counts move at midnight


def test_an_undo_offer_of_one_session_is_never_kept(lead, project):
    """Deleting without JavaScript offers an undo on the register page of that browser only."""
    handoff = HandoffFactory(project=project, name="Dispatch to invoice")
    deleting, other = Client(), Client()
    deleting.force_login(lead)
    other.force_login(lead)
    delete = reverse("registers:item-delete", args=[project.slug, "handoffs", handoff.pk])
    assert deleting.post(delete).status_code in (200, 302)
    url = _register(project)
    assert "Undo" in _get(deleting, url)
    assert "Undo" not in _get(other, url)
