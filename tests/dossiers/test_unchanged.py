"""Generate is not a duplicate factory: content a ready dossier already shows is offered back,
a lead can still force a new version, and the button is disabled while one renders."""

from django.urls import reverse

from readiness.dossiers.models import Dossier, DossierStatus

HTMX = {"HX-Request": "true"}


def _generate(client, project, **data):
    return client.post(
        reverse("dossiers:request", kwargs={"slug": project.slug}), data, headers=HTMX
    )


def test_nothing_changed_offers_the_ready_dossier_and_a_lead_may_force(
    lead_client, viewer_client, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _generate(viewer_client, project)
    [first] = Dossier.objects.all()
    assert first.status == DossierStatus.READY

    with django_capture_on_commit_callbacks(execute=True):
        again = _generate(viewer_client, project).content.decode()
    assert Dossier.objects.count() == 1
    assert f"Nothing changed since dossier v{first.number}" in again
    assert "Generate a new version anyway" not in again  # viewers cannot force

    with django_capture_on_commit_callbacks(execute=True):
        offered = _generate(lead_client, project).content.decode()
    assert "Generate a new version anyway" in offered
    assert Dossier.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        _generate(lead_client, project, force="1")
    assert Dossier.objects.count() == 2

    # A viewer's crafted force is ignored.
    with django_capture_on_commit_callbacks(execute=True):
        _generate(viewer_client, project, force="1")
    assert Dossier.objects.count() == 2


def test_generate_is_disabled_while_a_dossier_is_queued(lead_client, project, lead):
    Dossier.objects.create(
        project=project,
        number=1,
        snapshot={},
        snapshot_hash="x",
        verdict="not_ready",
        requested_by=lead,
    )
    html = lead_client.get(reverse("dossiers:list", kwargs={"slug": project.slug})).content.decode()
    button = html.split('id="generate-dossier"')[1].split(">")[0]
    assert "disabled" in button
    assert "one is being rendered" in html
