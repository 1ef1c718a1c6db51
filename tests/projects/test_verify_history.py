"""`manage.py verify_history`: an intact chain passes; an edited or deleted row is named.

Rows are tampered with in raw SQL, the way someone with database access would, around the
application (the admin cannot change or delete history entries).
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from readiness.projects.activity import activity_record, entry_hash, history_verify
from readiness.projects.models import ActivityAction, ActivityEntry, Project
from tests.factories import ProjectFactory

# The app's own revision bumps are under test: the factories' shim (conftest.py) stays off.
pytestmark = [pytest.mark.django_db, pytest.mark.no_revision_shim]


def _record(project, n: int, actor=None) -> None:
    for i in range(1, n + 1):
        activity_record(
            project=project,
            actor=actor,
            action=ActivityAction.CHANGED,
            target_kind="systems",
            target_id=i,
            target_name=f"System {i}",
            summary=f"changed system “System {i}”: Vendor",
            changes=[{"field": "vendor", "label": "Vendor", "old": "Acme", "new": f"Acme {i}"}],
        )


def _verify(*args) -> str:
    out = StringIO()
    call_command("verify_history", *args, stdout=out)
    return out.getvalue()


def _broken(*args) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("verify_history", *args, stdout=out)
    return out.getvalue(), str(refused.value)


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def recorded(project, lead):
    _record(project, 5, actor=lead)
    return project


def test_it_passes_an_intact_history(recorded, other_project):
    _record(other_project, 2)
    out = _verify()
    assert "northwind: 5 entries, chain intact" in out
    assert "contoso: 2 entries, chain intact" in out
    assert "History verified." in out


def test_it_chains_each_entry_to_the_one_before(recorded):
    entries = list(ActivityEntry.objects.filter(project=recorded).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(e.hash == entry_hash(e) for e in entries)
    recorded.refresh_from_db()
    assert recorded.revision == 5


def test_it_names_an_entry_whose_summary_was_edited_in_the_database(recorded):
    _sql(
        "UPDATE projects_activityentry SET summary = %s WHERE project_id = %s AND seq = %s",
        ["changed nothing", recorded.pk, 3],
    )
    out, error = _broken()
    assert "northwind: broken at entry #3: its content does not match its hash" in out
    assert error == "History broken in 1 project(s)."


def test_it_names_an_entry_whose_changes_were_edited_in_the_database(recorded):
    _sql(
        "UPDATE projects_activityentry SET changes = %s WHERE project_id = %s AND seq = %s",
        ['[{"field": "vendor", "label": "Vendor", "old": "Acme", "new": "Other"}]', recorded.pk, 2],
    )
    out, _ = _broken()
    assert "broken at entry #2: its content does not match its hash" in out


def test_it_names_the_next_entry_when_an_edit_was_rehashed(recorded):
    """Someone who also recomputes the edited row's hash breaks the link of the next one."""
    entry = ActivityEntry.objects.get(project=recorded, seq=2)
    entry.summary = "changed nothing"
    _sql(
        "UPDATE projects_activityentry SET summary = %s, hash = %s WHERE id = %s",
        [entry.summary, entry_hash(entry), entry.pk],
    )
    out, _ = _broken()
    assert "broken at entry #3: its link to the previous entry does not match that entry" in out


def test_it_names_an_entry_deleted_from_the_middle(recorded):
    _sql(
        "DELETE FROM projects_activityentry WHERE project_id = %s AND seq = %s",
        [recorded.pk, 3],
    )
    out, _ = _broken()
    assert "northwind: broken at entry #3: entry #3 is missing" in out


def test_it_notices_the_newest_entries_deleted(recorded):
    _sql(
        "DELETE FROM projects_activityentry WHERE project_id = %s AND seq >= %s",
        [recorded.pk, 4],
    )
    out, _ = _broken()
    assert "northwind: broken at entry #4: the chain ends at entry #3" in out
    assert "entries at the end are missing" in out


def test_it_names_a_changed_actor(recorded):
    _sql(
        "UPDATE projects_activityentry SET actor_name = %s WHERE project_id = %s AND seq = %s",
        ["Someone Else", recorded.pk, 4],
    )
    link = history_verify(recorded)
    assert (link.seq, link.reason) == (4, "its content does not match its hash")


def test_it_keeps_the_chain_when_an_actor_account_is_deleted(recorded, lead):
    lead.delete()
    assert ActivityEntry.objects.filter(project=recorded, actor__isnull=True).count() == 5
    assert "northwind: 5 entries, chain intact" in _verify()


def test_it_verifies_one_project_and_reports_the_others_untouched(recorded, other_project):
    _record(other_project, 2)
    _sql(
        "UPDATE projects_activityentry SET summary = %s WHERE project_id = %s AND seq = %s",
        ["changed nothing", recorded.pk, 1],
    )
    assert "contoso: 2 entries, chain intact" in _verify("--project", "contoso")
    out, _ = _broken("--project", "northwind")
    assert "northwind: broken at entry #1" in out
    assert "contoso" not in out


def test_it_refuses_an_unknown_project():
    with pytest.raises(CommandError, match="No project with slug 'nowhere'."):
        call_command("verify_history", "--project", "nowhere", stdout=StringIO())


# --- The migration ------------------------------------------------------------------------

BEFORE = [("projects", "0002_go_live_label")]


@pytest.mark.django_db(transaction=True)
def test_it_carries_an_existing_project_across_the_history_migration():
    """A project created before the history existed gets revision 0 and an empty, valid
    chain; its first recorded change starts the chain at #1.

    One migration back and forth on an almost empty database: about a second.
    """
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        today = datetime.date.today()
        old_apps.get_model("projects", "Project").objects.create(
            name="Legacy rollout",
            slug="legacy",
            desired_outcome="Keep working.",
            plan_lock_date=today,
            go_live_date=today + datetime.timedelta(days=30),
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    project = Project.objects.get(slug="legacy")
    assert project.revision == 0
    assert history_verify(project) is None
    assert "legacy: 0 entries, chain intact" in _verify("--project", "legacy")

    _record(project, 1)
    project.refresh_from_db()
    assert project.revision == 1
    assert ActivityEntry.objects.get(project=project).seq == 1
    assert "legacy: 1 entry, chain intact" in _verify("--project", "legacy")


def test_it_creates_the_history_of_new_projects_from_their_first_entry():
    project = ProjectFactory()
    assert project.revision == 0
    assert history_verify(project) is None
