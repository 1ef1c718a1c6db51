"""Check status and project verdict as pure functions: every combination, no database."""

import datetime as dt

import pytest

from readiness.reviews.verdict import (
    BLOCKERS_LISTED,
    Blocker,
    CheckStanding,
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


def _blocker(title: str) -> Blocker:
    return Blocker(title=title, anchor="finding-x", owner="Priya Raman", owner_role="steward")


def _verdict(statuses=None, blockers=None, accepted=0, today=TODAY, lock=None, live=None, **kw):
    """`blockers`: check key → titles of its open blockers (all counted, the first few listed)."""
    statuses = statuses or dict(ALL_SIGNED)
    blockers = blockers or {}
    checks = [
        CheckStanding(
            key=key,
            number=n,
            title=title.split(" · ")[1],
            status=statuses[key],
            blocker_count=len(blockers.get(key, ())),
            blockers=tuple(_blocker(t) for t in blockers.get(key, ())[:BLOCKERS_LISTED]),
        )
        for n, (key, title) in enumerate(TITLES.items(), start=1)
    ]
    return project_verdict(
        checks=checks,
        accepted_risks=accepted,
        today=today,
        plan_lock_date=lock or dt.date(2025, 3, 31),
        go_live_date=live or dt.date(2025, 5, 30),
        **kw,
    )


def test_it_is_ready_when_all_five_are_signed_and_nothing_blocks():
    verdict = _verdict()
    assert isinstance(verdict, Verdict)
    assert verdict.state is VerdictState.READY
    assert verdict.label == "Ready"
    assert verdict.blocker_count == 0
    assert verdict.unsigned_checks == ()
    assert verdict.accepted_risks == 0


def test_it_is_ready_with_accepted_risks():
    verdict = _verdict(accepted=2)
    assert verdict.state is VerdictState.READY_WITH_RISKS
    assert verdict.label == "Ready with accepted risks"
    assert verdict.blocker_count == 0
    assert verdict.accepted_risks == 2


@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS, S.READY_TO_SIGN, S.STALE])
@pytest.mark.parametrize("accepted", [0, 3])
def test_an_unsigned_check_keeps_it_from_ready_without_being_a_blocker(status, accepted):
    verdict = _verdict({**ALL_SIGNED, "reporting": status}, accepted=accepted)
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.label == "Not ready"
    assert verdict.blocker_count == 0
    assert [c.label for c in verdict.unsigned_checks] == ["Check 4 · Reporting"]
    assert verdict.unsigned_checks[0].status is status
    assert verdict.signed_checks == 4


def test_it_is_not_ready_with_an_open_blocker_even_when_all_signed():
    verdict = _verdict(blockers={"exceptions": ["Exception case failed its test"]})
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.blocker_count == 1
    [group] = verdict.checks_with_blockers
    assert (group.label, [b.title for b in group.blockers]) == (
        "Check 3 · Exceptions",
        ["Exception case failed its test"],
    )


def test_it_groups_blockers_by_check_in_check_order():
    statuses = {**ALL_SIGNED, "data": S.STALE, "ownership": S.NOT_STARTED}
    verdict = _verdict(statuses, blockers={"ownership": ["B"], "data": ["A1", "A2"]}, accepted=1)
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.blocker_count == 3
    assert [c.key for c in verdict.checks_with_blockers] == ["data", "ownership"]
    assert [b.title for b in verdict.listed_blockers] == ["A1", "A2", "B"]
    assert [c.key for c in verdict.unsigned_checks] == ["data", "ownership"]


def test_it_counts_every_blocker_but_lists_only_the_first_few_per_check():
    titles = [f"Untested {i}" for i in range(BLOCKERS_LISTED + 7)]
    verdict = _verdict(blockers={"exceptions": titles})
    [group] = verdict.checks_with_blockers
    assert verdict.blocker_count == group.blocker_count == BLOCKERS_LISTED + 7
    assert len(group.blockers) == BLOCKERS_LISTED and group.more_blockers == 7


def test_too_many_highs_is_a_reason_of_its_own_not_a_blocker():
    verdict = _verdict(open_highs=2, high_limit=1)
    assert verdict.state is VerdictState.NOT_READY
    assert verdict.blocker_count == 0
    assert verdict.other_reasons == (
        "2 high findings are open; the project allows at most 1 for Ready",
    )


def test_blockers_are_due_at_plan_lock_then_at_go_live():
    assert _verdict(today=dt.date(2025, 3, 31)).blockers_due == dt.date(2025, 3, 31)
    assert _verdict(today=dt.date(2025, 4, 1)).blockers_due == dt.date(2025, 5, 30)


def test_it_survives_being_kept_as_json():
    verdict = _verdict(
        {**ALL_SIGNED, "handoffs": S.STALE},
        blockers={"data": ["A"] * (BLOCKERS_LISTED + 1)},
        open_highs=3,
        high_limit=0,
    )
    assert Verdict.from_json(verdict.as_json()) == verdict
    assert verdict.as_json()["blocker_count"] == BLOCKERS_LISTED + 1


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
