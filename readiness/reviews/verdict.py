"""Check status and project verdict: pure functions over counts, reused everywhere."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CheckStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY_TO_SIGN = "ready_to_sign"
    SIGNED = "signed"
    STALE = "stale"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "in_progress": "In progress",
            "ready_to_sign": "Ready to sign",
            "signed": "Signed",
            "stale": "Stale",
        }[self.value]


class VerdictState(StrEnum):
    READY = "ready"
    READY_WITH_RISKS = "ready_with_risks"
    NOT_READY = "not_ready"

    @property
    def label(self) -> str:
        return {
            "ready": "Ready",
            "ready_with_risks": "Ready with accepted risks",
            "not_ready": "Not ready",
        }[self.value]


def check_status(
    *, answered: int, questions: int, open_blockers: int, signed: bool, stale: bool
) -> CheckStatus:
    if signed:
        return CheckStatus.STALE if stale else CheckStatus.SIGNED
    if answered == 0:
        return CheckStatus.NOT_STARTED
    if answered >= questions and open_blockers == 0:
        return CheckStatus.READY_TO_SIGN
    return CheckStatus.IN_PROGRESS


@dataclass(frozen=True)
class Verdict:
    state: VerdictState
    blockers: tuple[str, ...]
    accepted_risks: int
    days_to_plan_lock: int
    days_to_go_live: int

    @property
    def label(self) -> str:
        return self.state.label


def project_verdict(
    *,
    check_statuses: dict[str, CheckStatus],
    check_titles: dict[str, str],
    open_blockers: list[str],
    accepted_risks: int,
    today: dt.date,
    plan_lock_date: dt.date,
    go_live_date: dt.date,
) -> Verdict:
    """Ready only when all five checks are signed and current and no blocker is open."""
    reasons = list(open_blockers)
    for key, status in check_statuses.items():
        if status == CheckStatus.STALE:
            reasons.append(f"{check_titles[key]}: sign-off is stale — the content changed")
        elif status != CheckStatus.SIGNED:
            reasons.append(f"{check_titles[key]}: not signed off ({status.label.lower()})")
    if reasons:
        state = VerdictState.NOT_READY
    elif accepted_risks:
        state = VerdictState.READY_WITH_RISKS
    else:
        state = VerdictState.READY
    return Verdict(
        state=state,
        blockers=tuple(reasons),
        accepted_risks=accepted_risks,
        days_to_plan_lock=(plan_lock_date - today).days,
        days_to_go_live=(go_live_date - today).days,
    )
