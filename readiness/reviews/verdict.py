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
    *,
    answered: int,
    questions: int,
    open_blockers: int,
    signed: bool,
    stale: bool,
    notes_missing: int = 0,
) -> CheckStatus:
    if signed:
        return CheckStatus.STALE if stale else CheckStatus.SIGNED
    if answered == 0:
        return CheckStatus.NOT_STARTED
    if answered >= questions and open_blockers == 0 and notes_missing == 0:
        return CheckStatus.READY_TO_SIGN
    return CheckStatus.IN_PROGRESS


@dataclass(frozen=True)
class AcceptedBlocker:
    """A blocker that two people accepted as a known risk, until it expires."""

    title: str
    check: str
    proposer: str
    approver: str
    expires_on: dt.date

    def as_json(self) -> dict:
        return {**self.__dict__, "expires_on": self.expires_on.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> "AcceptedBlocker":
        return cls(**{**data, "expires_on": dt.date.fromisoformat(data["expires_on"])})


@dataclass(frozen=True)
class AssuranceStanding:
    """The latest independent assurance rating, shown beside the verdict."""

    rating: str  # red / amber / green
    reviewer: str
    reviewed_on: dt.date

    @property
    def label(self) -> str:
        return self.rating.capitalize()

    def as_json(self) -> dict:
        return {**self.__dict__, "reviewed_on": self.reviewed_on.isoformat()}

    @classmethod
    def from_json(cls, data: dict | None) -> "AssuranceStanding | None":
        if not data:
            return None
        return cls(**{**data, "reviewed_on": dt.date.fromisoformat(data["reviewed_on"])})


@dataclass(frozen=True)
class Verdict:
    state: VerdictState
    blockers: tuple[str, ...]
    accepted_risks: int
    days_to_plan_lock: int
    days_to_go_live: int
    # What is behind the verdict, shown with it everywhere.
    open_highs: int = 0
    no_answers: int = 0
    accepted_blockers: tuple[AcceptedBlocker, ...] = ()
    assurance: AssuranceStanding | None = None

    @property
    def label(self) -> str:
        return self.state.label

    def as_json(self) -> dict:
        return {
            "state": str(self.state),
            "blockers": list(self.blockers),
            "accepted_risks": self.accepted_risks,
            "days_to_plan_lock": self.days_to_plan_lock,
            "days_to_go_live": self.days_to_go_live,
            "open_highs": self.open_highs,
            "no_answers": self.no_answers,
            "accepted_blockers": [b.as_json() for b in self.accepted_blockers],
            "assurance": self.assurance.as_json() if self.assurance else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Verdict":
        return cls(
            state=VerdictState(data["state"]),
            blockers=tuple(data["blockers"]),
            accepted_risks=data["accepted_risks"],
            days_to_plan_lock=data["days_to_plan_lock"],
            days_to_go_live=data["days_to_go_live"],
            open_highs=data.get("open_highs", 0),
            no_answers=data.get("no_answers", 0),
            accepted_blockers=tuple(
                AcceptedBlocker.from_json(b) for b in data.get("accepted_blockers", ())
            ),
            assurance=AssuranceStanding.from_json(data.get("assurance")),
        )


def too_many_highs(open_highs: int, limit: int | None) -> str | None:
    """The reason a project with this many open high findings cannot be Ready, if any."""
    if limit is None or open_highs <= limit:
        return None
    allowed = "none" if limit == 0 else f"at most {limit}"
    return (
        f"{open_highs} high finding{'s are' if open_highs != 1 else ' is'} open; "
        f"the project allows {allowed} for Ready"
    )


def project_verdict(
    *,
    check_statuses: dict[str, CheckStatus],
    check_titles: dict[str, str],
    open_blockers: list[str],
    accepted_risks: int,
    today: dt.date,
    plan_lock_date: dt.date,
    go_live_date: dt.date,
    open_highs: int = 0,
    high_limit: int | None = None,
    no_answers: int = 0,
    accepted_blockers: tuple[AcceptedBlocker, ...] = (),
    assurance: AssuranceStanding | None = None,
) -> Verdict:
    """Ready only when all five checks are signed and current, no blocker is open and open
    high findings stay within the lead's limit."""
    reasons = list(open_blockers)
    highs = too_many_highs(open_highs, high_limit)
    if highs:
        reasons.append(highs)
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
        open_highs=open_highs,
        no_answers=no_answers,
        accepted_blockers=accepted_blockers,
        assurance=assurance,
    )
