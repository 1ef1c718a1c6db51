"""The last-lead race: two leads demoting (or removing) each other at the same moment leave
the project with one lead, not none."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from readiness.projects.models import Membership, Role
from tests.concurrency import run_together
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("action", ["member-role", "member-remove"])
def test_two_leads_demoting_each_other_at_once_keep_one_lead(project, action):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    a = MembershipFactory(project=project, user=ann, role=Role.LEAD)
    b = MembershipFactory(project=project, user=bob, role=Role.LEAD)
    jobs = iter([(ann, b), (bob, a)])

    def demote_the_other():
        user, other = next(jobs)
        client = Client()
        client.force_login(user)
        url = reverse(f"projects:{action}", kwargs={"slug": project.slug, "pk": other.pk})
        return client.post(url, {"role": Role.VIEWER}).status_code

    statuses = run_together(demote_the_other, 2)

    assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    assert Membership.objects.filter(project=project, role=Role.LEAD).count() == 1
