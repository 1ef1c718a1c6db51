"""The five check definitions are plain data; these tests need no database."""

import re

import pytest

from readiness.reviews.checks import (
    CHECKS,
    CHECKS_BY_KEY,
    EVIDENCE_KEYS,
    get_check,
)
from readiness.reviews.definitions import CheckDefinition

EXPECTED = (
    (
        1,
        "data",
        "data-elements",
        (
            "defined_differently",
            "truth_missing_or_disputed",
            "data_quality",
            "period_date_missing",
            "context_lost",
        ),
    ),
    (
        2,
        "handoffs",
        "handoffs",
        (
            "informal_handoff",
            "no_fixer",
            "no_wait_rule",
            "interface_gap",
            "custom_build",
            "local_workaround",
        ),
    ),
    (3, "exceptions", "exceptions", ("untested_exceptions",)),
    (4, "reporting", "reports", ("report_reconciliation", "report_cannot_show_why")),
    (
        5,
        "ownership",
        "duties",
        (
            "automation_unguarded",
            "missing_owner",
            "no_deputy",
            "signature_concentration",
            "blackout_cutover",
            "assurance_red",
        ),
    ),
)
# Checks whose questions changed since the first definitions carry version 2.
VERSIONS = {"data": 2, "handoffs": 2, "exceptions": 1, "reporting": 1, "ownership": 2}
REGISTER_KINDS = {"data-elements", "handoffs", "exceptions", "reports", "duties"}
RULE_KEYS = {
    "defined_differently",
    "informal_handoff",
    "no_fixer",
    "untested_exceptions",
    "report_reconciliation",
    "truth_missing_or_disputed",
    "no_wait_rule",
    "automation_unguarded",
    "missing_owner",
    "local_workaround",
    "data_quality",
    "period_date_missing",
    "interface_gap",
    "custom_build",
    "report_cannot_show_why",
    "no_deputy",
    "signature_concentration",
    "blackout_cutover",
    "assurance_red",
    "context_lost",
}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

by_check = pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.key)


def test_five_checks_in_order_with_their_keys_registers_and_rules():
    got = tuple((c.number, c.key, c.register, c.rules) for c in CHECKS)
    assert got == EXPECTED
    assert all(isinstance(c, CheckDefinition) for c in CHECKS)
    assert {c.key: c.version for c in CHECKS} == VERSIONS


def test_checks_by_key_and_get_check_agree():
    assert list(CHECKS_BY_KEY) == [c.key for c in CHECKS]
    for check in CHECKS:
        assert CHECKS_BY_KEY[check.key] is check
        assert get_check(check.key) is check


@pytest.mark.parametrize("key", ["", "nope", "Data", "1", "data-elements", " data"])
def test_get_check_raises_key_error_for_unknown_keys(key):
    with pytest.raises(KeyError):
        get_check(key)


@by_check
def test_check_texts_are_filled_in(check):
    assert check.title.strip()
    assert check.question_behind.strip().endswith("?")
    assert check.purpose.strip()


@by_check
def test_questions_have_unique_snake_case_keys(check):
    assert 5 <= len(check.questions) <= 10
    keys = [q.key for q in check.questions]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert SNAKE_CASE.match(key), key


@by_check
def test_prompts_and_help_are_filled_in(check):
    for question in check.questions:
        assert question.prompt.strip(), question.key
        assert question.prompt.endswith("?"), question.key
        assert question.help.strip(), question.key


@by_check
def test_evidence_keys_are_known_or_empty(check):
    for question in check.questions:
        assert question.evidence == "" or question.evidence in EVIDENCE_KEYS, question.key


def test_evidence_keys_are_exactly_the_agreed_list():
    assert len(EVIDENCE_KEYS) == 37
    assert all(SNAKE_CASE.match(key) for key in EVIDENCE_KEYS)


def test_registers_are_known_register_kinds():
    assert {c.register for c in CHECKS} == REGISTER_KINDS


def test_rule_keys_are_known():
    for check in CHECKS:
        assert set(check.rules) <= RULE_KEYS, check.key


def test_each_rule_belongs_to_exactly_one_check():
    all_rules = [rule for check in CHECKS for rule in check.rules]
    assert sorted(all_rules) == sorted(RULE_KEYS)


def test_paper_questions_are_covered_where_expected():
    """Measurable outcome (check 1 or 4), named owner and breakage plan (check 5)."""
    evidence_by_check = {c.key: {q.evidence for q in c.questions} for c in CHECKS}
    assert "project_outcome" in evidence_by_check["data"] | evidence_by_check["reporting"]
    assert {"duty_inside", "breakage_plan"} <= evidence_by_check["ownership"]
