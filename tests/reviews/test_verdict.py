"""Check status and project verdict as pure functions: every combination, no database."""

import datetime as dt

import pytest

from readiness.reviews.verdict import (
    CheckStatus,
    Verdict,
    VerdictState,
    check_status,
    project_verdict,
)

S = CheckStatus
TODAY = dt.date(2025, 3, 1)
TITLES = {
    "data": "Check 1 · Data that must move",
    "handoffs": "Check 2 · Handoffs",
    "exceptions": "Check 3 · Exceptions",
    "reporting": "Check 4 · Reporting",
    "ownership": "Check 5 · Ownership after launch",
}
ALL_SIGNED = dict.fromkeys(TITLES, S.SIGNED)


@pytest.mark.parametrize(
    ("answered", "open_blockers", "signed", "stale", "expected"),
    [
        # not signed: answers and blockers decide
        (0, 0, False, False, S.NOT_STARTED),
        (0, 2, False, False, S.NOT_STARTED),
        (3, 0, False, False, S.IN_PROGRESS),
        (3, 1, False, False, S.IN_PROGRESS),
        (8, 1, False, False, S.IN_PROGRESS),
        (8, 0, False, False, S.READY_TO_SIGN),
        (9, 0, False, False, S.READY_TO_SIGN),
        # signed: current or stale, whatever else is true
        (8, 0, True, False, S.SIGNED),
        (8, 0, True, True, S.STALE),
        (3, 0, True, True, S.STALE),
        (8, 2, True, True, S.STALE),
        (0, 0, True, False, S.SIGNED),
    ],
)
def test_it_derives_check_status(answered, open_blockers, signed, stale, expected):
    status = check_status(
        answered=answered, questions=8, open_blockers=open_blockers, signed=signed, stale=stale
    )
    assert status is expected


def test_it_ignores_stale_flag_without_a_signoff():
    assert (
        check_status(answered=8, questions=8, open_blockers=0, signed=False, stale=True)
        is S.READY_TO_SIGN
    )


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (S.NOT_STARTED, "Not started"),
        (S.IN_PROGRESS, "In progress"),
        (S.READY_TO_SIGN, "Ready to sign"),
        (S.SIGNED, "Signed"),
        (S.STALE, "Stale"),
    ],
)
def test_it_labels_every_status(status, label):
    assert status.label == label


def _verdict(statuses=None, blockers=(), accepted=0, today=TODAY, lock=None, live=None):
    return project_verdict(
        check_statuses=statuses or dict(ALL_SIGNED),
        check_titles=TITLES,
        open_blockers=list(blockers),
        accepted_risks=accepted,
        today=today,
        plan_lock_date=lock or dt.date(2025, 3, 31),
        go_live_date=live or dt.date(2025, 5, 30),
    )


def test_it_is_ready_when_all_five_are_signed_and_nothing_blocks():
    verdict = _verdict()
    assert isinstance(verdict, Verdict)
    assert verdict.state is VerdictState.READY
    assert verdict.label == "Ready"
    assert verdict.blockers == ()
    assert verdict.accepted_risks == 0


def test_it_is_ready_with_accepted_risks():
    verdict = _verdict(accepted=2)
    assert verdict.state is VerdictState.READY_WITH_RISKS
    assert verdict.label == "Ready with accepted risks"
    assert verdict.blockers == ()
    assert verdict.accepted_risks == 2


@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS, S.READY_TO_SIGN, S.STALE])
@pytest.mark.parametrize("accepted", [0, 3])
def test_it_is_not_ready_while_one_check_is_not_signed_and_current(status, accepted):
    verdict = _verdict({**ALL_SIGNED, "reporting": status}, accepted=accepted)
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.label == "Not ready"
    assert len(verdict.blockers) == 1
    assert verdict.blockers[0].startswith("Check 4 · Reporting: ")


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (S.NOT_STARTED, "Check 2 · Handoffs: not signed off (not started)"),
        (S.IN_PROGRESS, "Check 2 · Handoffs: not signed off (in progress)"),
        (S.READY_TO_SIGN, "Check 2 · Handoffs: not signed off (ready to sign)"),
        (S.STALE, "Check 2 · Handoffs: sign-off is stale — the content changed"),
    ],
)
def test_it_names_the_reason_per_check(status, reason):
    assert _verdict({**ALL_SIGNED, "handoffs": status}).blockers == (reason,)


def test_it_is_not_ready_with_an_open_blocker_even_when_all_signed():
    verdict = _verdict(blockers=["Exception case failed its test — Order without region"])
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.blockers == ("Exception case failed its test — Order without region",)


def test_it_lists_open_blockers_first_then_checks_in_order():
    statuses = {
        "data": S.STALE,
        "handoffs": S.SIGNED,
        "exceptions": S.IN_PROGRESS,
        "reporting": S.SIGNED,
        "ownership": S.NOT_STARTED,
    }
    verdict = _verdict(statuses, blockers=["Blocker A", "Blocker B"], accepted=1)
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.blockers == (
        "Blocker A",
        "Blocker B",
        "Check 1 · Data that must move: sign-off is stale — the content changed",
        "Check 3 · Exceptions: not signed off (in progress)",
        "Check 5 · Ownership after launch: not signed off (not started)",
    )
    assert verdict.accepted_risks == 1


def test_it_lists_all_five_when_nothing_is_signed():
    verdict = _verdict(dict.fromkeys(TITLES, S.NOT_STARTED))
    assert verdict.state is VerdictState.NOT_READY
    assert [b.split(":")[0] for b in verdict.blockers] == list(TITLES.values())


@pytest.mark.parametrize(
    ("today", "lock_days", "live_days"),
    [
        (dt.date(2025, 3, 1), 30, 90),
        (dt.date(2025, 3, 31), 0, 60),
        (dt.date(2025, 4, 10), -10, 50),
        (dt.date(2025, 5, 30), -60, 0),
        (dt.date(2025, 6, 2), -63, -3),
    ],
)
def test_it_counts_days_to_plan_lock_and_go_live(today, lock_days, live_days):
    verdict = _verdict(today=today)
    assert (verdict.days_to_plan_lock, verdict.days_to_go_live) == (lock_days, live_days)


def test_it_counts_days_whatever_the_state():
    ready = _verdict(today=dt.date(2025, 3, 21))
    not_ready = _verdict({**ALL_SIGNED, "data": S.STALE}, today=dt.date(2025, 3, 21))
    assert ready.days_to_plan_lock == not_ready.days_to_plan_lock == 10
    assert ready.days_to_go_live == not_ready.days_to_go_live == 70


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (VerdictState.READY, "Ready"),
        (VerdictState.READY_WITH_RISKS, "Ready with accepted risks"),
        (VerdictState.NOT_READY, "Not ready"),
    ],
)
def test_it_labels_every_verdict(state, label):
    assert state.label == label
