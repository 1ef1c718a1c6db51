"""The overview and every step of every check cost the same queries at 10 as at 200 items.

Every register is filled with linked items (foreign keys, many-to-many, owners with and without
accounts) so that every select_related / prefetch of the pages is exercised, and the warning-sign
rules, answers, risks, acceptances and sign-offs (current and stale) all have something to show.
Pages are requested by a lead, and a few by the signatory, whose navigation sign-off count
reviews the project a second time.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.projects.models import OwnerKind
from readiness.registers.models import (
    Criticality,
    DataElement,
    Duty,
    DutyKind,
    ExceptionCase,
    Handoff,
    Mechanism,
    Report,
    Severity,
)
from readiness.registers.specs import SPECS
from readiness.reviews import services
from readiness.reviews.checks import get_check
from readiness.reviews.models import Risk, SignOff, SubjectKind
from readiness.reviews.selectors import project_review
from readiness.reviews.signing import content_hash, item_content
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    OwnerFactory,
    ReportFactory,
    SystemFactory,
    UserFactory,
    accept_finding,
)
from tests.reviews.support import (
    CHECK_KEYS,
    STEPS,
    answer_all,
    check_url,
    item_signoff_url,
    member_owner,
    name_signatory,
)

SMALL, LARGE = 10, 200
DUTY_KINDS = list(DutyKind)


class Registers:
    """Adds items to all five registers of one project, in bulk, with every link filled."""

    def __init__(self, project, signer_owner, signer):
        self.project = project
        self.signer_owner = signer_owner
        self.signer = signer
        self.count = 0
        self.owners = [
            signer_owner,
            OwnerFactory(project=project, name="Bea Business", user=UserFactory()),
            OwnerFactory(project=project, name="Acme Vendor", kind=OwnerKind.VENDOR),
        ]
        self.systems = [SystemFactory(project=project, name=n) for n in ("ERP", "CRM", "WMS")]

    def add(self, n):
        start, self.count = self.count, self.count + n
        project, owners, systems = self.project, self.owners, self.systems
        cycle = lambda seq, i: seq[i % len(seq)]  # noqa: E731

        elements = DataElement.objects.bulk_create(
            DataElementFactory.build(
                project=project,
                name=f"Element {i:04}",
                criticality=cycle(list(Criticality), i),
                system_of_truth=None if i % 7 == 0 else cycle(systems, i),
                truth_disputed=i % 5 == 0,
                defined_differently=i % 3 == 0,
                steward=cycle([*owners, None], i),
                travelling_context="Origin and freshness",
            )
            for i in range(start, self.count)
        )
        handoffs = Handoff.objects.bulk_create(
            HandoffFactory.build(
                project=project,
                name=f"Handoff {i:04}",
                from_system=cycle(systems, i),
                to_system=cycle(systems, i + 1),
                receiving_owner=cycle([*owners, None], i),
                fixer=cycle([None, *owners], i),
                mechanism=cycle(list(Mechanism), i),
                shared_record=i % 2 == 0,
                wait_rule="" if i % 4 == 0 else "Hold while credit review is open",
                is_workaround=i % 6 == 0,
            )
            for i in range(start, self.count)
        )
        exceptions = ExceptionCase.objects.bulk_create(
            ExceptionCaseFactory.build(
                project=project,
                name=f"Exception {i:04}",
                handoff=handoffs[i - start],
                decision_owner=cycle([*owners, None], i),
                # No high-severity case: blockers would keep check 3 from being signed.
                severity=cycle([Severity.MEDIUM, Severity.LOW], i),
                test_status=cycle(["untested", "passed", "failed"], i),
                tested_on=None if i % 3 == 0 else project.plan_lock_date,
            )
            for i in range(start, self.count)
        )
        reports = Report.objects.bulk_create(
            ReportFactory.build(
                project=project,
                name=f"Report {i:04}",
                owner=cycle([*owners, None], i),
                needs_reconciliation=i % 2 == 0,
                shows_why=i % 3 == 0,
            )
            for i in range(start, self.count)
        )
        Duty.objects.bulk_create(
            DutyFactory.build(
                project=project,
                kind=cycle(DUTY_KINDS, i),
                handoff=handoffs[i - start],
                owner=cycle([*owners, None], i),
            )
            for i in range(start, self.count)
        )
        self._link(
            DataElement.consuming_systems.through, "dataelement", elements, "system", systems
        )
        self._link(Handoff.data_elements.through, "handoff", handoffs, "dataelement", elements)
        self._link(
            ExceptionCase.data_elements.through,
            "exceptioncase",
            exceptions,
            "dataelement",
            elements,
        )
        self._link(Report.source_elements.through, "report", reports, "dataelement", elements)
        self._link(Report.source_systems.through, "report", reports, "system", systems)
        self._sign_some("handoffs", handoffs)
        self._sign_some("exceptions", exceptions)

    @staticmethod
    def _link(through, left, lefts, right, rights):
        """Two links per item, to neighbouring rows."""
        through.objects.bulk_create(
            through(**{f"{left}_id": a.pk, f"{right}_id": b.pk})
            for i, a in enumerate(lefts)
            for b in (rights[i % len(rights)], rights[(i + 1) % len(rights)])
        )

    def _sign_some(self, kind, items):
        """Every fourth item signed; every other signed one has changed since (stale)."""
        signed = SPECS[kind].queryset(self.project).filter(pk__in=[i.pk for i in items[::4]])
        signoffs = []
        for n, item in enumerate(signed):
            content = item_content(item)
            signoffs.append(
                SignOff(
                    project=self.project,
                    subject_kind=SubjectKind.HANDOFF
                    if kind == "handoffs"
                    else SubjectKind.EXCEPTION,
                    handoff=item if kind == "handoffs" else None,
                    exception_case=item if kind == "exceptions" else None,
                    subject_name=item.name,
                    owner=self.signer_owner,
                    owner_name=self.signer_owner.name,
                    signer=self.signer,
                    statement="OK",
                    content=content,
                    content_hash=content_hash(content) if n % 2 else "0" * 64,
                )
            )
        SignOff.objects.bulk_create(signoffs)


def _reviewed(project):
    """Sam signs everything. Answers, risks and check sign-offs do not grow with the registers."""
    sam, owner = member_owner(project, "sam", name="Sam Signer")
    registers = Registers(project, owner, sam)
    for key in CHECK_KEYS:
        name_signatory(project, key, owner)
        answer_all(project, key, user=sam)
        services.risk_add(
            project=project,
            check=get_check(key),
            title=f"Risk in {key}",
            detail="Added by hand",
            severity="medium",
            user=sam,
        )
    Risk.objects.create(
        project=project, check_key="data", title="Accepted blocker", severity="blocker"
    )
    return registers


def _accept_and_sign(project, sam):
    """Sam accepts the open blockers of check 1, signs two checks; both go stale (a stale
    check sign-off explains itself, so the pages compare like with like)."""
    for view in project_review(project).check("data").open_blockers:
        accept_finding(
            project=project,
            check=get_check("data"),
            finding_key=view.key,
            rationale="Accepted for the query-count test.",
            user=sam,
        )
    for key in ("data", "reporting"):
        services.check_sign(project=project, check=get_check(key), statement="OK", user=sam)
    services.answer_save(
        project=project,
        check=get_check("reporting"),
        question_key="single_view",
        answer="no",
        note="Changed.",
        user=sam,
    )
    question = get_check("data").questions[0].key
    services.answer_save(
        project=project,
        check=get_check("data"),
        question_key=question,
        answer="partly",
        note="Changed after signing.",
        user=sam,
    )


def _count(client, url) -> int:
    # The page as everyone after the first visitor since the last change pays for it: the
    # review is kept until the project changes (a change costs one recomputation).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _counts(client, pages) -> dict[str, int]:
    return {name: _count(client, url) for name, url in pages.items()}


def test_pages_cost_the_same_queries_at_any_register_size(lead_client, client, project):
    registers = _reviewed(project)
    registers.add(SMALL)
    _accept_and_sign(project, registers.signer)
    handoff = Handoff.objects.filter(project=project).order_by("pk").first()
    # Every page, as the lead (no signatures of their own: the navigation count is cheap) …
    pages = {"overview": project.get_absolute_url()}
    for key in CHECK_KEYS:
        for step in STEPS:
            pages[f"{key}/{step}"] = check_url(project, key, step)
    pages["handoff sign-off"] = item_signoff_url(project, "handoffs", handoff)
    # … and, as the signatory, the pages where the navigation count reviews the project again.
    client.force_login(registers.signer)
    owner_pages = {
        "overview (signatory)": project.get_absolute_url(),
        "data/signoff (signatory)": check_url(project, "data", "signoff"),
        "my sign-offs (signatory)": reverse("reviews:my-signoffs"),
    }
    small = _counts(lead_client, pages) | _counts(client, owner_pages)

    registers.add(LARGE - SMALL)
    review = project_review(project)
    assert len(review.data.handoffs) == len(review.data.exceptions) == LARGE
    assert len(review.data.duties) == len(review.data.reports) == LARGE
    assert len(review.stale_items) > SMALL  # stale item sign-offs grew with the registers
    assert len(review.findings) > LARGE
    large = _counts(lead_client, pages) | _counts(client, owner_pages)

    print(f"\nqueries per page, {SMALL} → {LARGE} items per register:")
    for name in small:
        print(f"  {name:26} {small[name]:3} → {large[name]:3}")
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"query counts grow with register size: {grown}"


def test_project_review_costs_the_same_queries_at_any_register_size(project):
    registers = _reviewed(project)
    counts = []
    for n in (SMALL, LARGE - SMALL):
        registers.add(n)
        with CaptureQueriesContext(connection) as queries:
            project_review(project)
        counts.append(len(queries))
    print(f"\nproject_review: {SMALL} items → {counts[0]} queries, {LARGE} → {counts[1]}")
    assert counts[0] == counts[1]
