"""The kept review state always equals a fresh computation, whatever the app writes.

Random sequences of writes go through the app's own services (the factories' revision shim of
conftest.py is switched off), and after every step the kept review, the stored summary and the
navigation count are compared with `project_review` computed from scratch — and the pages a
lead and an owner see, kept from the step before when nothing they show changed, are compared
with the same pages rendered anew.
"""

import contextlib
import datetime as dt
import itertools
import re

import pytest
from django.db.models import ProtectedError
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from readiness.portal.context_processors import nav_count
from readiness.projects import services as project_services
from readiness.projects.forms import ProjectForm
from readiness.projects.models import Membership, Project, Role
from readiness.registers import services as register_services
from readiness.registers.models import Mechanism, TestResult, TestRun
from readiness.registers.services import (
    items_deleted_with,
    register_item_delete,
    register_item_save,
)
from readiness.registers.specs import SPECS
from readiness.reviews import services
from readiness.reviews.checks import CHECKS
from readiness.reviews.models import Acceptance, AnswerChoice, RiskSeverity, SignOff
from readiness.reviews.selectors import project_review, waiting_in
from readiness.reviews.state import (
    cached_review,
    forget_kept_reviews,
    pending_signoff_count,
    summaries_for,
)
from tests.factories import (
    VALID_INPUT,
    MembershipFactory,
    OwnerFactory,
    ProjectFactory,
    SystemFactory,
    UserFactory,
    edit_data,
    prefixed,
)

pytestmark = pytest.mark.no_revision_shim

KINDS = ["data-elements", "handoffs", "exceptions", "reports", "duties", "owners", "systems"]
EDITS = {
    "data-elements": [("criticality", "critical"), ("truth_disputed", True), ("definition", "x")],
    "handoffs": [("mechanism", Mechanism.SPREADSHEET), ("trigger", "On release")],
    "exceptions": [("scenario", "Two orders at once"), ("severity", "high")],
    "reports": [("needs_reconciliation", True), ("business_question", "Why?")],
    "duties": [("notes", "Weekly review")],
    "owners": [("name", "Renamed owner"), ("kind", "vendor")],
    "systems": [("name", "Renamed system"), ("vendor", "Acme")],
}
_names = itertools.count(1)
STEPS = ["register", "questions", "findings", "signoff"]


class World:
    """One project with a lead, a contributor and two owners who can sign."""

    def __init__(self):
        forget_kept_reviews()
        # Built directly (set-up, not under test); the app's first write bumps the revision.
        self.project = ProjectFactory(name=f"Property {next(_names)}")
        self.lead = UserFactory()
        MembershipFactory(project=self.project, user=self.lead, role=Role.LEAD)
        self.users = [UserFactory(), UserFactory()]
        self.owners = []
        for user in self.users:
            MembershipFactory(project=self.project, user=user, role=Role.CONTRIBUTOR)
            self.owners.append(OwnerFactory(project=self.project, user=user))
        SystemFactory(project=self.project)

    def fresh_project(self) -> Project:
        return Project.objects.get(pk=self.project.pk)

    def items(self, kind):
        return list(SPECS[kind].queryset(self.project).order_by("pk"))

    # --- writes, all through the services ---------------------------------------------------

    def create(self, kind, n):
        values = dict(VALID_INPUT[kind])
        if "name" in values:
            values["name"] = f"{values['name']} {next(_names)}"
        if kind == "duties":
            values["kind"] = ["approve_changes", "review_failures", "monitor_flows"][n % 3]
            values["owner"] = self.owners[n % 2].pk
        if kind == "handoffs":
            values["receiving_owner"] = self.owners[n % 2].pk
        if kind == "exceptions":
            values["decision_owner"] = self.owners[n % 2].pk
        form = SPECS[kind].form_class(
            prefixed("item-new", values),
            project=self.project,
            prefix="item-new",
            may_name_owners=True,
        )
        if form.is_valid():
            register_item_save(spec=SPECS[kind], form=form, user=self.lead)

    def edit(self, kind, n):
        items = self.items(kind)
        if not items:
            return
        item = items[n % len(items)]
        field, value = EDITS[kind][n % len(EDITS[kind])]
        if field == "name":
            value = f"{value} {next(_names)}"
        data = edit_data(kind, item, **{field: value})
        form = SPECS[kind].form_class(
            data,
            instance=item,
            project=self.project,
            prefix=f"item-{item.pk}",
            may_name_owners=True,
        )
        if form.is_valid():
            register_item_save(spec=SPECS[kind], form=form, user=self.users[0])

    def delete(self, kind, n):
        items = [i for i in self.items(kind) if kind != "owners" or i.user_id is None]
        if items:
            item = items[n % len(items)]
            # An owner who signs a check is protected from deletion.
            with contextlib.suppress(ProtectedError):
                register_item_delete(
                    spec=SPECS[kind],
                    item=item,
                    user=self.lead,
                    also_delete=items_deleted_with(item),
                )

    def answer(self, n):
        check = CHECKS[n % 5]
        question = check.questions[n % len(check.questions)]
        choice = list(AnswerChoice.values)[n % 4]
        services.answer_save(
            project=self.project,
            check=check,
            question_key=question.key,
            answer=choice,
            note=f"note {n}",
            user=self.users[0],
        )

    def answer_all(self, n):
        check = CHECKS[n % 5]
        for question in check.questions:
            services.answer_save(
                project=self.project,
                check=check,
                question_key=question.key,
                answer="yes",
                note="",
                user=self.users[1],
            )

    def signatory(self, n):
        services.signatory_set(
            project=self.project, check=CHECKS[n % 5], owner=self.owners[n % 2], user=self.lead
        )

    def risk(self, n):
        services.risk_add(
            project=self.project,
            check=CHECKS[n % 5],
            title=f"Risk {n}",
            detail="",
            severity=list(RiskSeverity.values)[n % 4],
            user=self.lead,
        )

    def accept(self, n):
        check = CHECKS[n % 5]
        project = self.fresh_project()
        review = project_review(project).check(check.key)
        open_findings = review.open_findings
        if not review.signatory or not open_findings:
            return
        user = next(u for u in self.users if u.pk == review.signatory.user_id)
        with contextlib.suppress(services.ReviewRefused):
            services.acceptance_propose(
                project=project,
                check=check,
                finding_key=open_findings[n % len(open_findings)].key,
                rationale="Accepted for the property test.",
                expires_on=project.go_live_date - dt.timedelta(days=n % 3),
                user=user,
            )

    def approve(self, n):
        acceptance = Acceptance.objects.filter(
            project=self.project, withdrawn_at__isnull=True, approved_at__isnull=True
        ).first()
        if acceptance is None:
            return
        with contextlib.suppress(services.ReviewRefused):
            services.acceptance_approve(
                project=self.fresh_project(), acceptance=acceptance, user=self.lead
            )

    def withdraw(self, n):
        acceptance = Acceptance.objects.filter(
            project=self.project, withdrawn_at__isnull=True
        ).first()
        if acceptance is None:
            return
        services.acceptance_withdraw(
            project=self.fresh_project(), acceptance=acceptance, user=self.lead
        )

    def test_run(self, n):
        cases = self.items("exceptions")
        if not cases:
            return
        case = cases[n % len(cases)]
        result = list(TestResult.values)[n % 3]
        run = TestRun(
            run_on=dt.date.today(), result=result, tester="Tess Tester", evidence=f"Run {n}"
        )
        register_services.test_run_add(case=case, run=run, user=self.users[0])

    def sign(self, n):
        check = CHECKS[n % 5]
        review = project_review(self.fresh_project())
        c = review.check(check.key)
        if c.signatory and c.can_be_signed:
            user = next(u for u in self.users if u.pk == c.signatory.user_id)
            services.check_sign(
                project=self.project, check=check, statement="OK", user=user, seen_hash=None
            )
        for kind in ("handoffs", "exceptions"):
            for item in self.items(kind)[:2]:
                owner = services.item_owner(kind, item)
                if owner is not None and owner.user_id:
                    user = next(u for u in self.users if u.pk == owner.user_id)
                    services.item_sign(
                        project=self.project, kind=kind, item=item, statement="OK", user=user
                    )

    def revoke(self, n):
        signoff = SignOff.objects.filter(project=self.project, revoked_at__isnull=True).first()
        if signoff is not None:
            services.signoff_revoke(signoff=signoff, user=signoff.signer, reason="Redo.")

    def role(self, n):
        membership = Membership.objects.get(project=self.project, user=self.users[n % 2])
        role = [Role.VIEWER, Role.CONTRIBUTOR, Role.LEAD][n % 3]
        project_services.member_change_role(membership=membership, role=role, by=self.lead)

    def dates(self, n):
        project = self.fresh_project()
        data = {
            f.name: getattr(project, f.name)
            for f in Project._meta.fields
            if f.name in ProjectForm.Meta.fields
        }
        data["plan_lock_date"] = dt.date.today() + dt.timedelta(days=n % 40)
        data["go_live_date"] = dt.date.today() + dt.timedelta(days=60)
        data["parallel_run_start"] = data["parallel_run_end"] = None
        data = {k: v for k, v in data.items() if v is not None}
        data["opened_version"] = project.version
        form = ProjectForm(data, instance=project)
        if form.is_valid():
            project_services.project_update(form=form, user=self.lead)

    # --- the property -----------------------------------------------------------------------

    def assert_kept_equals_fresh(self):
        project = self.fresh_project()
        kept = cached_review(project)
        fresh = project_review(project)
        assert kept.verdict == fresh.verdict
        assert [(c.key, c.status, c.content_hash) for c in kept.checks] == [
            (c.key, c.status, c.content_hash) for c in fresh.checks
        ]
        assert [f.key for f in kept.findings] == [f.key for f in fresh.findings]
        assert kept.item_hashes == fresh.item_hashes
        assert {k: (s.signoff.pk, s.stale) for k, s in kept.item_signoffs.items()} == {
            k: (s.signoff.pk, s.stale) for k, s in fresh.item_signoffs.items()
        }
        summary = summaries_for(Project.objects.filter(pk=project.pk))[project.pk]
        assert summary.verdict == fresh.verdict
        assert [c.status for c in summary.checks] == [c.status for c in fresh.checks]
        for user in [self.lead, *self.users]:
            is_member = Membership.objects.filter(project=project, user=user).exists()
            expected = len(waiting_in(fresh, user.pk)) if is_member else 0
            assert pending_signoff_count(user) == expected
            assert nav_count(user) == expected  # the navigation's kept count

    def assert_kept_pages_equal_fresh(self, n):
        """Each page served (kept from an earlier step when nothing it shows changed) is the
        page rendered from scratch, but for the per-request CSRF token."""
        if not hasattr(self, "clients"):
            self.clients = []
            for user in (self.lead, self.users[0]):
                self.clients.append(Client())
                self.clients[-1].force_login(user)
        slug = self.project.slug
        check = CHECKS[n % 5].key
        urls = [
            reverse("projects:overview", args=[slug]),
            reverse("registers:list", args=[slug, KINDS[n % len(KINDS)]]),
            reverse("reviews:check", args=[slug, check, STEPS[n % len(STEPS)]]),
            reverse("reviews:my-signoffs" if n % 2 else "dossiers:portfolio"),
        ]
        client = self.clients[n % 2]  # the lead, or an owner who signs
        for url in urls:
            with override_settings(READINESS_KEEP_PAGES=True):
                kept = client.get(url)
            with override_settings(READINESS_KEEP_PAGES=False):
                fresh = client.get(url)
            assert kept.status_code == fresh.status_code
            assert _without_tokens(kept) == _without_tokens(fresh), url


_TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def _without_tokens(response) -> str:
    return _TOKENS.sub(r"\1…", response.content.decode())


OPERATIONS = st.one_of(
    st.tuples(st.sampled_from(["create", "edit", "delete"]), st.sampled_from(KINDS)),
    st.tuples(
        st.sampled_from(
            ["answer", "answer_all", "signatory", "risk", "accept", "approve", "withdraw"]
            + ["sign", "revoke", "role", "dates", "test_run"]
        ),
        st.none(),
    ),
)


class TestKeptReviewState(TestCase):
    @settings(
        max_examples=20,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(steps=st.lists(st.tuples(OPERATIONS, st.integers(0, 50)), min_size=1, max_size=14))
    def test_it_always_equals_a_fresh_review(self, steps):
        world = World()
        world.assert_kept_equals_fresh()
        world.assert_kept_pages_equal_fresh(0)
        for (name, kind), n in steps:
            operation = getattr(world, name)
            if kind is None:
                operation(n)
            else:
                operation(kind, n)
            world.assert_kept_equals_fresh()
            world.assert_kept_pages_equal_fresh(n)


def test_a_write_around_the_services_would_be_caught(db):
    """The property above is not vacuous: a write that skips the one path leaves the kept
    review behind, and the comparison notices."""
    world = World()
    world.create("duties", 1)
    world.assert_kept_equals_fresh()
    OwnerFactory(project=world.project, name="Slipped past")  # no service, no revision bump
    with pytest.raises(AssertionError):
        project = world.fresh_project()
        assert [o.name for o in cached_review(project).data.owners] == [
            o.name for o in project_review(project).data.owners
        ]


def _nav_queries(user) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pending_signoff_count(user)  # the first call after a change stores the summaries
    with CaptureQueriesContext(connection) as queries:
        count = pending_signoff_count(user)
    return len(queries), count


@pytest.mark.django_db
def test_the_navigation_count_costs_the_same_on_one_small_or_five_large_projects():
    from tests.reviews.support import clean_exception, clean_handoff

    user = UserFactory()
    small = ProjectFactory(name="Small rollout")
    MembershipFactory(project=small, user=user, role=Role.CONTRIBUTOR)
    owner = OwnerFactory(project=small, user=user)
    clean_handoff(small, owner)
    one_small, waiting = _nav_queries(user)
    assert waiting == 1

    for n in range(5):
        large = ProjectFactory(name=f"Large rollout {n}")
        MembershipFactory(project=large, user=user, role=Role.CONTRIBUTOR)
        owner = OwnerFactory(project=large, user=user)
        for i in range(40):
            clean_handoff(large, owner, name=f"Handoff {i}")
            clean_exception(large, owner, name=f"Case {i}")
    five_large, waiting = _nav_queries(user)
    assert waiting == 1 + 5 * 80
    assert one_small == five_large == 1
