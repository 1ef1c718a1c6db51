"""Builders for the dossier rendering tests: a project with something in every section."""

import io

from pypdf import PdfReader

from readiness.projects.models import OwnerKind, Role
from readiness.registers.models import (
    Criticality,
    DutyKind,
    Mechanism,
    ReportTiming,
    Severity,
    TestStatus,
)
from readiness.reviews.checks import get_check
from readiness.reviews.models import Answer, CheckSignatory
from readiness.reviews.selectors import project_review
from readiness.reviews.services import check_sign, item_sign
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    MembershipFactory,
    OwnerFactory,
    ReportFactory,
    SystemFactory,
    UserFactory,
    accept_finding,
)


def fill_project(project, signer=None):
    """Registers, answers, a finding accepted as a risk, a signed check, a signed handoff.

    `signer` (a user) becomes the business owner who signs; one is created if not given.
    """
    if signer is None:
        signer = UserFactory(username="dana", first_name="Dana", last_name="Steward")
        MembershipFactory(project=project, user=signer, role=Role.CONTRIBUTOR)
    dana = OwnerFactory(project=project, name="Dana Steward", user=signer, team="Finance")
    acme = OwnerFactory(project=project, name="Acme Consulting", kind=OwnerKind.VENDOR)
    erp = SystemFactory(project=project, name="Cloud ERP", vendor="Cloudy")
    crm = SystemFactory(project=project, name="Sales CRM", vendor="Salesy")
    customer = DataElementFactory(
        project=project,
        name="Customer master",
        criticality=Criticality.CRITICAL,
        system_of_truth=erp,
        steward=dana,
        consuming_systems=[crm],
    )
    DataElementFactory(project=project, name="Credit limit", criticality=Criticality.CRITICAL)
    handoff = HandoffFactory(
        project=project,
        name="Order to warehouse",
        from_system=crm,
        to_system=erp,
        receiving_owner=dana,
        fixer=dana,
        mechanism=Mechanism.SPREADSHEET,
        data_elements=[customer],
    )
    ExceptionCaseFactory(
        project=project,
        name="Customer with two ids",
        severity=Severity.HIGH,
        test_status=TestStatus.PASSED,
        tested_on=project.plan_lock_date,
        decision_owner=dana,
        handoff=handoff,
    )
    ReportFactory(
        project=project,
        name="Daily invoicing",
        timing=ReportTiming.DAY_ONE,
        needs_reconciliation=True,
        owner=dana,
        source_elements=[customer],
        source_systems=[erp],
    )
    DutyFactory(project=project, kind=DutyKind.REVIEW_FAILURES, handoff=handoff, owner=acme)

    reporting = get_check("reporting")
    for q in reporting.questions:
        Answer.objects.create(
            project=project,
            check_key="reporting",
            question_key=q.key,
            answer="yes",
            note=f"Checked: {q.key}",
        )
    Answer.objects.create(
        project=project,
        check_key="data",
        question_key="system_of_truth",
        answer="partly",
        note="Credit limit has no system of truth yet.",
    )
    CheckSignatory.objects.create(project=project, check_key="reporting", owner=dana)
    finding = project_review(project).check("reporting").findings[0]
    accept_finding(
        project=project,
        check=reporting,
        finding_key=finding.key,
        rationale="Finance reconciles by hand for the first month; accepted.",
        user=signer,
    )
    check_sign(project=project, check=reporting, statement="Reports are ready.", user=signer)
    item_sign(project=project, kind="handoffs", item=handoff, statement="We own this.", user=signer)
    return {"owner": dana, "signer": signer, "customer": customer, "handoff": handoff}


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_pages_text(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in pdf_reader(data).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages_text(data))
