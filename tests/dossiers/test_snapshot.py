"""build_snapshot: everything the PDF shows, as plain JSON, from project_review."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readiness.dossiers.snapshot import VOLATILE_KEYS, build_snapshot, snapshot_hash
from readiness.registers.models import DataElement, DutyKind, Handoff, Report
from readiness.reviews.models import SignOff
from readiness.reviews.services import signoff_revoke
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
)

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _check(snapshot, key):
    return next(c for c in snapshot["checks"] if c["key"] == key)


def test_it_is_json_serialisable_and_round_trips(project, filled):
    snapshot = build_snapshot(project, generated_at=WHEN)
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_it_has_the_project_and_its_people(project, filled, lead):
    snapshot = build_snapshot(project, generated_at=WHEN)
    assert snapshot["project"]["name"] == "Northwind ERP cutover"
    assert snapshot["project"]["desired_outcome"].startswith("Orders invoiced")
    assert snapshot["project"]["plan_lock_date"] == project.plan_lock_date.isoformat()
    assert snapshot["project"]["lifecycle"] == "Draft"
    roles = {m["username"]: m["role"] for m in snapshot["members"]}
    executive = project.accountable_executive.user.username  # approved the acceptance
    assert roles == {"lead": "Lead", "dana": "Contributor", executive: "Viewer"}
    owners = {o["name"]: o for o in snapshot["owners"]}
    assert owners["Dana Steward"]["can_sign"] is True
    assert owners["Acme Consulting"]["kind"] == "Vendor"
    assert {s["name"] for s in snapshot["systems"]} == {"Cloud ERP", "Sales CRM"}
    assert snapshot["generated_at"].startswith("2026-11-02T09:30:00")
    assert snapshot["as_of"] == "2026-11-02"


def test_it_has_the_verdict_of_project_review(project, filled):
    from readiness.reviews.selectors import project_review

    snapshot = build_snapshot(project)
    verdict = project_review(project).verdict
    kept = snapshot["verdict"]
    assert {k: v for k, v in kept.items() if k != "checks"} == {
        **{k: v for k, v in verdict.as_json().items() if k != "checks"},
        "label": "Not ready",
    }
    # Each check's standing, its listed blockers by name: no ids or page anchors.
    assert [c["key"] for c in kept["checks"]] == [c.key for c in verdict.checks]
    assert kept["blocker_count"] == verdict.blocker_count
    assert not any(
        {"item_pk", "item_kind", "anchor"} & set(b) for c in kept["checks"] for b in c["blockers"]
    )
    assert snapshot["verdict"]["state"] == "not_ready"
    assert snapshot["verdict"]["accepted_risks"] == 1


def test_checks_come_in_order_with_status_questions_and_answers(project, filled):
    snapshot = build_snapshot(project)
    assert [c["key"] for c in snapshot["checks"]] == [
        "data",
        "handoffs",
        "exceptions",
        "reporting",
        "ownership",
    ]
    data = _check(snapshot, "data")
    assert data["status"] == "in_progress" and data["status_label"] == "In progress"
    truth = next(q for q in data["questions"] if q["key"] == "system_of_truth")
    assert truth["answer"] == "partly" and truth["answer_label"] == "Partly"
    assert truth["note"] == "Credit limit has no system of truth yet."
    unanswered = next(q for q in data["questions"] if q["key"] == "records_listed")
    assert unanswered["answer"] is None and unanswered["answer_label"] == "Not answered"


def test_register_rows_carry_names_and_labels_not_ids(project, filled):
    snapshot = build_snapshot(project)
    rows = {r["name"]: r for r in _check(snapshot, "data")["rows"]}
    customer = rows["Customer master"]
    assert customer["criticality"] == "Cannot be wrong"
    assert customer["system_of_truth"] == "Cloud ERP"
    assert customer["consuming_systems"] == ["Sales CRM"]
    assert customer["steward"] == "Dana Steward"
    assert "id" not in customer and "project" not in customer
    handoff = _check(snapshot, "handoffs")["rows"][0]
    assert handoff["mechanism"] == "Manual: spreadsheet"
    assert handoff["data_elements"] == ["Customer master"]
    exception = _check(snapshot, "exceptions")["rows"][0]
    assert (exception["severity"], exception["test_status"]) == ("High", "Passed")
    duty = _check(snapshot, "ownership")["rows"][0]
    assert duty["name"] == "Reviews failures — Order to warehouse"
    assert duty["owner"] == "Acme Consulting"


def test_register_rows_are_sorted_by_name_and_duties_by_kind_then_scope(project, filled):
    for name in ("zeta feed", "Alpha code", "beta rate"):
        DataElementFactory(project=project, name=name)
    DutyFactory(project=project, kind=DutyKind.APPROVE_CHANGES, handoff=None)
    DutyFactory(project=project, kind=DutyKind.REVIEW_FAILURES, handoff=None)
    snapshot = build_snapshot(project)
    assert [r["name"] for r in _check(snapshot, "data")["rows"]] == [
        "Alpha code",
        "beta rate",
        "Credit limit",
        "Customer master",
        "zeta feed",
    ]
    assert [r["name"] for r in _check(snapshot, "ownership")["rows"]] == [
        "Approves changes — Whole project",
        "Reviews failures — Whole project",
        "Reviews failures — Order to warehouse",
    ]


def test_finding_items_name_the_register_item_before_the_owner(project, filled):
    DutyFactory(project=project, kind=DutyKind.UPDATE_DOCS, handoff=None, owner=filled["owner"])
    DutyFactory(project=project, kind=DutyKind.APPROVE_CHANGES, handoff=None, owner=None)
    findings = _check(build_snapshot(project), "ownership")["findings"]
    outside = next(f for f in findings if f["title"] == "Duty owned outside the business")
    # Acme Consulting, a vendor, owns the duty: the duty comes first although "A" < "R".
    assert outside["items"] == ["Reviews failures — Order to warehouse", "Acme Consulting"]
    unowned = next(f for f in findings if f["title"] == "Duty without an owner")
    assert unowned["items"] == ["Approves changes — Whole project"]


def test_findings_carry_items_and_acceptance(project, filled):
    snapshot = build_snapshot(project)
    data_findings = _check(snapshot, "data")["findings"]
    missing = next(f for f in data_findings if f["rule"] == "truth_missing_or_disputed")
    assert missing["items"] == ["Credit limit"]
    assert missing["severity"] == "blocker"
    assert missing["accepted"] is None
    accepted = _check(snapshot, "reporting")["findings"][0]
    assert accepted["items"] == ["Daily invoicing"]
    assert accepted["accepted"]["by"] == "Dana Steward"
    assert accepted["accepted"]["rationale"].startswith("Finance reconciles")
    assert accepted["accepted"]["at"]


def test_signoffs_current_then_stale(project, filled):
    snapshot = build_snapshot(project)
    reporting = _check(snapshot, "reporting")
    assert reporting["status"] == "signed"
    signoff = reporting["signoff"]
    assert signoff["owner"] == "Dana Steward"
    assert signoff["statement"] == "Reports are ready."
    assert signoff["hash"] == reporting["content_hash"]
    assert signoff["stale"] is False
    handoff = _check(snapshot, "handoffs")["rows"][0]
    assert handoff["signoff"]["stale"] is False

    Handoff.objects.filter(pk=filled["handoff"].pk).update(trigger="Order released")
    filled["handoff"].refresh_from_db()
    report = filled["customer"].reports.get()
    report.business_question = "What did we invoice, per country?"
    report.save()

    snapshot = build_snapshot(project)
    assert _check(snapshot, "reporting")["status"] == "stale"
    assert _check(snapshot, "reporting")["signoff"]["stale"] is True
    assert _check(snapshot, "handoffs")["rows"][0]["signoff"]["stale"] is True
    exception = _check(snapshot, "exceptions")["rows"][0]
    assert exception["signoff"] is None


def test_stale_item_signoffs_are_listed(project, filled):
    assert build_snapshot(project)["stale_signoffs"] == []

    handoff = filled["handoff"]
    signed_hash = SignOff.objects.get(subject_kind="handoff").content_hash
    handoff.name = "Order to fulfilment"
    handoff.save()

    snapshot = build_snapshot(project)
    (stale,) = snapshot["stale_signoffs"]
    assert stale["kind"] == "Handoff"
    assert stale["subject"] == "Order to fulfilment"
    assert stale["signed_as"] == "Order to warehouse"
    assert (stale["owner"], stale["signer"]) == ("Dana Steward", "Dana Steward")
    assert stale["signed_at"]
    assert stale["hash"] == signed_hash
    assert stale["current_hash"] != signed_hash
    assert _check(snapshot, "handoffs")["rows"][0]["signoff"]["stale"] is True


def test_history_keeps_revoked_and_superseded_signoffs(project, filled):
    from readiness.reviews.checks import get_check
    from readiness.reviews.services import check_sign

    first = SignOff.objects.get(subject_kind="check")
    # Signing the same content twice is one signature; a changed register is a new one.
    Report.objects.filter(project=project).update(business_question="Changed after signing.")
    check_sign(
        project=project, check=get_check("reporting"), statement="Again.", user=filled["signer"]
    )
    handoff_signoff = SignOff.objects.get(subject_kind="handoff")
    signoff_revoke(signoff=handoff_signoff, user=filled["signer"], reason="Trigger changes.")

    history = build_snapshot(project)["signoff_history"]
    assert [(e["subject"], e["state"]) for e in history] == [
        ("Check 4 · Reporting", "superseded"),
        ("Order to warehouse", "revoked"),
        ("Check 4 · Reporting", "current"),
    ]
    revoked = history[1]
    assert revoked["kind"] == "Handoff"
    assert revoked["revoke_reason"] == "Trigger changes."
    assert revoked["revoked_by"] and revoked["revoked_at"]
    assert history[0]["hash"] == first.content_hash


def test_hash_ignores_the_document_fields_but_not_the_content(project, filled):
    first = build_snapshot(project, generated_at=WHEN)
    later = build_snapshot(project, generated_at=WHEN + dt.timedelta(hours=3))
    later["dossier"] = {"number": 7, "requested_by": "Someone"}
    assert first["generated_at"] != later["generated_at"]
    assert {"generated_at", "dossier"} == VOLATILE_KEYS
    assert snapshot_hash(first) == snapshot_hash(later)
    assert len(snapshot_hash(first)) == 64

    DataElement.objects.filter(name="Credit limit").update(definition="Changed.")
    assert snapshot_hash(build_snapshot(project, generated_at=WHEN)) != snapshot_hash(first)


def test_generated_at_defaults_to_now(project, filled):
    before = timezone.now().replace(microsecond=0)
    snapshot = build_snapshot(project)
    assert dt.datetime.fromisoformat(snapshot["generated_at"]) >= before


def _queries(project) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build_snapshot(project)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_registers(project, filled):
    small = _queries(project)
    elements = [DataElementFactory(project=project) for _ in range(15)]
    for i in range(10):
        handoff = HandoffFactory(project=project, data_elements=elements[i : i + 3])
        ExceptionCaseFactory(project=project, handoff=handoff, data_elements=elements[:2])
    assert _queries(project) == small
