"""The activity history on the seeded demo, told as the demo's people would live it.

The contributor edits a handoff the owner signed; the owner learns exactly what changed, from
what to what and by whom, on the item page and in My sign-offs; the Activity page lists the
edit and the next dossier's change chapter tells it too.
"""

import io
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from readiness.demo.management.commands.seed_demo import NORTHWIND_REVIEW
from readiness.dossiers import rendering
from readiness.dossiers.models import Dossier, DossierStatus
from readiness.projects.models import ActivityEntry, Project
from readiness.registers.models import Handoff
from readiness.reviews.models import SignOff
from tests.factories import edit_data

pytestmark = pytest.mark.django_db

SLUG = "northwind-erp-cutover"
# The handoff the seed has Priya Raman (demo-owner) sign as its receiving owner.
SIGNED_HANDOFF = NORTHWIND_REVIEW["signed_handoffs"][0]
OLD_ESCALATION = "Disputes open for more than 10 days go to the financial controller."
NEW_ESCALATION = "Disputes open for more than 5 days go to the financial controller."


def _seed() -> Project:
    call_command("seed_demo", stdout=StringIO())
    return Project.objects.get(slug=SLUG)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def demo():
    return _seed()


@pytest.fixture
def handoff(demo):
    return Handoff.objects.get(project=demo, name=SIGNED_HANDOFF)


def _edit_url(handoff) -> str:
    return reverse(
        "registers:item-edit",
        kwargs={"slug": SLUG, "kind": "handoffs", "pk": handoff.pk},
    )


def _item_url(handoff) -> str:
    return reverse("reviews:item", kwargs={"slug": SLUG, "kind": "handoffs", "pk": handoff.pk})


def _request_dossier(client, capture) -> Dossier:
    with capture(execute=True):
        response = client.post(reverse("dossiers:request", kwargs={"slug": SLUG}))
    assert response.status_code in (200, 302)
    dossier = Dossier.objects.filter(project__slug=SLUG).order_by("-number").first()
    assert dossier.status == DossierStatus.READY, dossier.error
    return dossier


def _pdf_text(dossier: Dossier) -> str:
    with dossier.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_it_tells_the_owner_what_the_contributor_changed_in_her_signed_handoff(
    demo, handoff, django_capture_on_commit_callbacks
):
    contributor, owner, viewer = (
        _client("demo-contributor"),
        _client("demo-owner"),
        _client("demo-viewer"),
    )
    assert SignOff.objects.get(handoff=handoff).owner_name == "Priya Raman"
    assert handoff.escalation_path == OLD_ESCALATION
    first = _request_dossier(viewer, django_capture_on_commit_callbacks)

    data = edit_data("handoffs", handoff, escalation_path=NEW_ESCALATION)
    entries_before = ActivityEntry.objects.filter(project=demo).count()
    warned = contributor.post(_edit_url(handoff), data)
    assert warned.status_code == 200
    assert "Saving makes Priya Raman’s sign-off of this handoff stale." in warned.text
    assert "Save anyway" in warned.text
    handoff.refresh_from_db()
    assert handoff.escalation_path == OLD_ESCALATION
    assert ActivityEntry.objects.filter(project=demo).count() == entries_before

    saved = contributor.post(_edit_url(handoff), {**data, "confirm_stale": "1"})
    assert saved.status_code == 302
    handoff.refresh_from_db()
    assert handoff.escalation_path == NEW_ESCALATION

    # The item page: stale, and the one field that changed, from what to what, by whom.
    page = owner.get(_item_url(handoff))
    assert page.status_code == 200
    html = page.text
    assert "<strong>Stale</strong> — signed by Priya Raman" in html
    assert "What changed since it was signed" in html
    changes = html.split('class="table compact changes"')[1].split("</table>")[0]
    assert '<td data-label="Field">Escalation path</td>' in changes
    assert f'<td class="old" data-label="Signed">{OLD_ESCALATION}</td>' in changes
    assert f'<td class="new" data-label="Now">{NEW_ESCALATION}</td>' in changes
    assert "Sam Kowalski, " in changes
    assert changes.count("<tr>") == 2  # the header and the one changed field

    # My sign-offs: the same explanation.
    mine = owner.get(reverse("reviews:my-signoffs")).text
    stale = mine.split("<h2>Stale (1)</h2>")[1].split("</section>")[0]
    assert f"Handoff · {SIGNED_HANDOFF}" in stale
    assert "What changed since you signed (1)" in stale
    assert '<td data-label="Field">Escalation path</td>' in stale
    assert f'<td class="old" data-label="Signed">{OLD_ESCALATION}</td>' in stale
    assert f'<td class="new" data-label="Now">{NEW_ESCALATION}</td>' in stale
    assert "Sam Kowalski, " in stale

    # The Activity page lists the edit, newest first, with the contributor's name.
    activity = viewer.get(reverse("projects:activity", kwargs={"slug": SLUG})).text
    newest = activity.split('<ol class="activity">')[1].split("</li>")[0]
    assert "<strong>Sam Kowalski</strong>" in newest
    assert f"changed handoff “{SIGNED_HANDOFF}”: Escalation path" in newest
    assert f'<span class="old">{OLD_ESCALATION}</span>' in newest
    assert f'<span class="new">{NEW_ESCALATION}</span>' in newest

    # The next dossier's change chapter tells it too.
    second = _request_dossier(viewer, django_capture_on_commit_callbacks)
    assert second.number == first.number + 1
    html = rendering.render_html(second.snapshot, first.snapshot)
    chapter = html.split("<h2>How it changed</h2>")[1]
    register_changes = chapter.split("Register changes")[1].split("</table>")[0]
    edit = ActivityEntry.objects.filter(project=demo, action="changed").latest("seq")
    when = timezone.localtime(edit.at).strftime("%-d %b %Y, %H:%M")
    assert f"<td>{when} " in register_changes  # a readable local time, like the other dates
    assert "<td>Sam Kowalski</td>" in register_changes
    assert f"changed handoff “{SIGNED_HANDOFF}”: Escalation path" in register_changes
    assert f"{OLD_ESCALATION} → {NEW_ESCALATION}" in register_changes
    assert f"Priya Raman’s sign-off of {SIGNED_HANDOFF} went stale" in chapter
    text = _pdf_text(second)
    assert "How it changed" in text
    assert "Sam Kowalski" in text
    assert "went stale" in text


def test_it_adds_no_history_when_the_demo_is_seeded_again(demo):
    entries = list(ActivityEntry.objects.order_by("project", "seq").values_list("pk", "hash"))
    revisions = dict(Project.objects.values_list("slug", "revision"))
    _seed()
    assert list(ActivityEntry.objects.order_by("project", "seq").values_list("pk", "hash")) == (
        entries
    )
    assert dict(Project.objects.values_list("slug", "revision")) == revisions


def test_it_records_the_seed_as_the_demo_seed_with_nobody_as_actor(demo):
    entries = ActivityEntry.objects.filter(project=demo)
    assert entries.exists()
    assert set(entries.values_list("via", flat=True)) == {"seed"}
    signed = entries.get(action="signed")
    assert (signed.target_kind, signed.target_name) == ("handoffs", SIGNED_HANDOFF)
    assert signed.actor.username == "demo-owner"
    assert set(entries.exclude(action="signed").values_list("actor", flat=True)) == {None}


def test_it_verifies_the_seeded_history(demo):
    out = StringIO()
    call_command("verify_history", stdout=out)
    count = ActivityEntry.objects.filter(project=demo).count()
    assert f"{SLUG}: {count} entries, chain intact" in out.getvalue()
    assert "History verified." in out.getvalue()


def test_it_leads_the_viewer_from_every_finding_to_a_readable_item_page(demo):
    viewer = _client("demo-viewer")
    links = set()
    for check in ("data", "handoffs", "exceptions", "reporting", "ownership"):
        url = reverse("reviews:check", kwargs={"slug": SLUG, "key": check, "step": "findings"})
        html = viewer.get(url).text
        for caused_by in re.findall(r"Caused by: (.*?)</p>", html):
            links |= set(re.findall(r'href="([^"]+)"', caused_by))
    assert len(links) > 10  # the demo's weak spots point at many items
    for link in sorted(links):
        page = viewer.get(link)
        assert page.status_code == 200, link
        assert "<h1>" in page.text
