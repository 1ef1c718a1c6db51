"""Hand-made review rows for the pure tests of rules and evidence: healthy unless told otherwise."""

from datetime import date

from readiness.registers.models import DutyKind
from readiness.reviews.data import (
    DataElementRow,
    DutyRow,
    ExceptionRow,
    HandoffRow,
    OwnerRow,
    ReportRow,
)

TODAY = date(2025, 3, 1)
ANNA = OwnerRow(pk=1, name="Anna Berg", kind="business", team="Sales ops", user_id=10)
ACME = OwnerRow(pk=2, name="Acme Integrations", kind="vendor", team="", user_id=None)
CONSULT = OwnerRow(pk=3, name="Bright Consulting", kind="consultant", team="", user_id=None)
IT = OwnerRow(pk=4, name="Central IT", kind="it", team="", user_id=None)


def element(pk=1, name="Customer", **kw) -> DataElementRow:
    fields = dict(
        criticality="critical",
        system_of_truth="ERP",
        truth_disputed=False,
        defined_differently=False,
        steward=ANNA,
        travelling_context="Origin and approval",
        consuming=("CRM",),
    )
    return DataElementRow(pk=pk, name=name, **(fields | kw))


def handoff(pk=1, name="Order to fulfilment", **kw) -> HandoffRow:
    fields = dict(
        mechanism="automated",
        receiving_owner=ANNA,
        fixer=ANNA,
        shared_record=False,
        wait_rule="",
        automation_rules="Stops above 10k; a person approves",
        is_workaround=False,
        rejection_path="Back to sales",
        escalation_path="Head of ops",
        data_element_ids=(),
    )
    return HandoffRow(pk=pk, name=name, **(fields | kw))


def exception(pk=1, name="Customer with two ids", **kw) -> ExceptionRow:
    fields = dict(
        severity="high",
        test_status="passed",
        tested_on=TODAY,
        decision_owner=ANNA,
        expected_handling="pause",
        handoff_id=None,
    )
    return ExceptionRow(pk=pk, name=name, **(fields | kw))


def report(pk=1, name="Daily revenue", **kw) -> ReportRow:
    fields = dict(
        timing="day_one",
        needs_reconciliation=False,
        shows_why=True,
        owner=ANNA,
        source_count=1,
        source_element_ids=(1,),
    )
    return ReportRow(pk=pk, name=name, **(fields | kw))


def duty(pk=1, kind="review_failures", **kw) -> DutyRow:
    fields = dict(kind_label=DutyKind(kind).label, handoff_id=None, handoff_name=None, owner=ANNA)
    return DutyRow(pk=pk, kind=kind, **(fields | kw))
