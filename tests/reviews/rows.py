"""Hand-made review rows for the pure tests of rules and evidence: healthy unless told otherwise."""

from datetime import date
from decimal import Decimal

from readiness.registers.models import DutyKind
from readiness.reviews.data import (
    BlackoutRow,
    DataElementRow,
    DutyRow,
    ExceptionRow,
    HandoffRow,
    OwnerRow,
    ReportRow,
    SystemRow,
)

TODAY = date(2025, 3, 1)
ANNA = OwnerRow(pk=1, name="Anna Berg", kind="business", team="Sales ops", user_id=10)
ACME = OwnerRow(pk=2, name="Acme Integrations", kind="vendor", team="", user_id=None)
CONSULT = OwnerRow(pk=3, name="Bright Consulting", kind="consultant", team="", user_id=None)
IT = OwnerRow(pk=4, name="Central IT", kind="it", team="", user_id=None)
BEA = OwnerRow(pk=5, name="Bea Lund", kind="business", team="Finance", user_id=11)
IVAN = OwnerRow(pk=6, name="Ivan Petrov", kind="it_person", team="Platform", user_id=12)


def element(pk=1, name="Customer", **kw) -> DataElementRow:
    fields = dict(
        criticality="critical",
        system_of_truth="ERP",
        truth_disputed=False,
        defined_differently=False,
        steward=ANNA,
        travelling_context="Origin and approval",
        context_travels="travels",
        consuming=("CRM",),
        decision_fields="Credit limit, region",
        population="migrated",
        entry_validated=True,
        accuracy_percent=Decimal("99.5"),
        accuracy_measured_on=TODAY,
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
        rules_state="written",
        human_checkpoint="yes",
        interface_status="tested",
        interface_tested_on=TODAY,
        is_workaround=False,
        rejection_path="Back to sales",
        trigger="Order approved in the CRM",
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
        evidence="Test run 42, screenshots attached",
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
        business_question="How much did we invoice today?",
    )
    return ReportRow(pk=pk, name=name, **(fields | kw))


def duty(pk=1, kind="review_failures", **kw) -> DutyRow:
    fields = dict(
        kind_label=DutyKind(kind).label,
        handoff_id=None,
        handoff_name=None,
        owner=ANNA,
        deputy=BEA,
    )
    return DutyRow(pk=pk, kind=kind, **(fields | kw))


ERP = SystemRow(pk=1, name="ERP", vendor="Big ERP Co", build="configured")
CRM = SystemRow(pk=2, name="CRM", vendor="Cloud CRM", build="standard")


def blackout(pk=1, name="Year-end close", start=date(2025, 12, 20), end=date(2026, 1, 10)):
    return BlackoutRow(pk=pk, name=name, starts_on=start, ends_on=end)
