"""Weekday reminder e-mails: pending and stale sign-offs, and plan locks coming up."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readiness.projects.models import Role
from readiness.reviews import services
from readiness.reviews.reminders import reminders_due, send_reminders
from readiness.reviews.tasks import send_signoff_reminders
from tests.factories import MembershipFactory, OwnerFactory, ProjectFactory, UserFactory
from tests.reviews.support import clean_handoff, member_owner

BASE_URL = "https://readiness.example.com"


def _today():
    return timezone.localdate()


def _send(today=None):
    return send_reminders(today=today or _today(), base_url=BASE_URL)


def test_it_reminds_an_owner_of_a_pending_handoff_signoff(project, mailoutbox):
    user, owner = member_owner(project, "olga", name="Olga Owner")
    handoff = clean_handoff(project, owner, name="Order to warehouse")

    assert _send() == 1

    [email] = mailoutbox
    assert email.to == [user.email]
    assert email.subject == "Rollout Readiness: 1 sign-off waits for you"
    link = f"{BASE_URL}/projects/{project.slug}/items/handoffs/{handoff.pk}/"
    assert "Handoff · Order to warehouse" in email.body
    assert link in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert f"{BASE_URL}/signoffs/" in email.body


def test_it_lists_a_stale_signoff_as_stale(project, mailoutbox):
    user, owner = member_owner(project, "olga")
    handoff = clean_handoff(project, owner, name="Order to warehouse")
    services.item_sign(project=project, kind="handoffs", item=handoff, statement="OK", user=user)
    assert _send() == 0

    handoff.trigger = "Order released"
    handoff.save()
    assert _send() == 1
    assert mailoutbox[-1].subject == "Rollout Readiness: 1 of your sign-offs went stale"

    clean_handoff(project, owner, name="Invoice to ledger")
    assert _send() == 1
    email = mailoutbox[-1]
    assert email.subject == "Rollout Readiness: 1 sign-off waits for you, 1 went stale"
    waiting, changed = email.body.split("CHANGED SINCE YOU SIGNED", 1)
    assert "Handoff · Invoice to ledger" in waiting
    assert "Handoff · Order to warehouse" not in waiting
    assert "Handoff · Order to warehouse" in changed
    assert "Handoff · Order to warehouse</a> <span" in email.alternatives[0][0]
    assert "(stale)" in email.alternatives[0][0]


def test_it_mentions_a_plan_lock_within_two_weeks_on_a_project_not_ready(db, mailoutbox):
    today = _today()
    soon = ProjectFactory(name="Soon ERP", plan_lock_date=today + dt.timedelta(days=10))
    later = ProjectFactory(name="Later CRM", plan_lock_date=today + dt.timedelta(days=30))
    user = UserFactory(username="vera")
    for project in (soon, later):
        MembershipFactory(project=project, user=user, role=Role.VIEWER)

    assert _send(today) == 1

    [email] = mailoutbox
    assert email.subject == "Rollout Readiness: Soon ERP locks its plan in 10 days"
    assert "Soon ERP locks its plan in 10 days (" in email.body
    assert "It is not ready yet" in email.body
    assert f"{BASE_URL}/projects/{soon.slug}/" in email.body
    assert "Later CRM" not in email.body


def test_it_says_nothing_about_a_plan_lock_already_past(db, mailoutbox):
    today = _today()
    past = ProjectFactory(plan_lock_date=today - dt.timedelta(days=1))
    MembershipFactory(project=past, user=UserFactory())
    assert _send(today) == 0
    assert mailoutbox == []


def test_it_sends_nothing_to_a_user_with_nothing_to_do(project, lead, mailoutbox):
    clean_handoff(project, OwnerFactory(project=project))
    assert reminders_due(today=_today()) == []
    assert _send() == 0
    assert mailoutbox == []


def test_it_skips_a_user_without_an_email_address(project, mailoutbox):
    user, owner = member_owner(project, "noemail")
    user.email = ""
    user.save()
    clean_handoff(project, owner)
    other, other_owner = member_owner(project, "olga")
    clean_handoff(project, other_owner)

    assert [r.user for r in reminders_due(today=_today())] == [user, other]
    assert _send() == 1
    assert [m.to for m in mailoutbox] == [[other.email]]


def test_it_skips_an_inactive_user(project, mailoutbox):
    user, owner = member_owner(project, "gone")
    user.is_active = False
    user.save()
    clean_handoff(project, owner)
    assert _send() == 0


def test_the_task_sends_the_reminders(project, mailoutbox):
    _, owner = member_owner(project, "olga")
    handoff = clean_handoff(project, owner)

    send_signoff_reminders.delay()

    [email] = mailoutbox
    link = f"{settings.READINESS_BASE_URL}/projects/{project.slug}/items/handoffs/{handoff.pk}/"
    assert link in email.body


def test_the_command_sends_the_reminders(project, mailoutbox, capsys):
    _, owner = member_owner(project, "olga")
    clean_handoff(project, owner)
    call_command("send_reminders")
    assert capsys.readouterr().out == "Sent 1 reminder.\n"
    assert len(mailoutbox) == 1


def test_beat_runs_the_task_on_weekday_mornings():
    entry = settings.CELERY_BEAT_SCHEDULE["send-signoff-reminders"]
    assert entry["task"] == send_signoff_reminders.name
    assert entry["task"] == "readiness.reviews.tasks.send_signoff_reminders"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({7}, {0})
    assert schedule.day_of_week == {1, 2, 3, 4, 5}


def _queries_for_owners(n: int) -> int:
    """Queries of reminders_due when n owners share one project, each with a handoff to sign."""
    project = ProjectFactory(plan_lock_date=_today() + dt.timedelta(days=5))
    for i in range(n):
        _, owner = member_owner(project, f"owner-{n}-{i}")
        clean_handoff(project, owner)
    with CaptureQueriesContext(connection) as ctx:
        reminders = reminders_due(today=_today())
    assert len(reminders) == n
    assert all(len(r.waiting) == 1 and len(r.plan_locks) == 1 for r in reminders)
    project.delete()
    return len(ctx.captured_queries)


def test_it_reviews_each_project_once_however_many_members_it_reminds(db):
    two, six = _queries_for_owners(2), _queries_for_owners(6)
    # Each person costs a few queries of their own (their projects, their owner records); the
    # review of the shared project, many more queries, is computed once.
    per_user = 3
    assert six - two <= 4 * per_user
