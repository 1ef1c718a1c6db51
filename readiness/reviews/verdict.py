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


# Blockers listed per check wherever a verdict is shown (pages, portfolio, dossier); the rest
# are counted and found on the check's findings step. Kept small so a stored summary, and the
# pages that read it, do not grow with the register.
BLOCKERS_LISTED = 5


@dataclass(frozen=True)
class Blocker:
    """An open blocker finding: what it is, the item that clears it and who owns that item."""

    title: str
    anchor: str  # the finding's anchor on its check's findings step
    item_kind: str = ""  # register kind of the first item it names; empty for project-level
    item_pk: int | None = None
    item_name: str = ""
    more_items: int = 0
    owner: str = ""  # the item's owner, else the check's signatory; empty when neither
    owner_role: str = ""  # "steward", "decision owner", … or "signatory"
    proposed_by: str = ""  # an acceptance waits for approval

    def as_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict) -> "Blocker":
        return cls(**data)


@dataclass(frozen=True)
class CheckStanding:
    """One check as a verdict shows it: its status and its open blockers (the first few)."""

    key: str
    number: int
    title: str
    status: CheckStatus
    signatory: str = ""
    blocker_count: int = 0
    blockers: tuple[Blocker, ...] = ()
    next_question: str = ""  # the first unanswered question's key, if any

    @property
    def label(self) -> str:
        return f"Check {self.number} · {self.title}"

    @property
    def more_blockers(self) -> int:
        return self.blocker_count - len(self.blockers)

    @property
    def signed(self) -> bool:
        return self.status == CheckStatus.SIGNED

    @property
    def status_label(self) -> str:
        return self.status.label

    def as_json(self) -> dict:
        return {
            **self.__dict__,
            "status": str(self.status),
            "blockers": [b.as_json() for b in self.blockers],
        }

    @classmethod
    def from_json(cls, data: dict) -> "CheckStanding":
        return cls(
            **{
                **data,
                "status": CheckStatus(data["status"]),
                "blockers": tuple(Blocker.from_json(b) for b in data["blockers"]),
            }
        )


@dataclass(frozen=True)
class Verdict:
    state: VerdictState
    checks: tuple[CheckStanding, ...]
    accepted_risks: int
    days_to_plan_lock: int
    days_to_go_live: int
    plan_lock_date: dt.date
    go_live_date: dt.date
    # Reasons that are neither a blocker nor a check's status (the lead's limit on highs).
    other_reasons: tuple[str, ...] = ()
    # What is behind the verdict, shown with it everywhere.
    open_highs: int = 0
    no_answers: int = 0
    accepted_blockers: tuple[AcceptedBlocker, ...] = ()
    assurance: AssuranceStanding | None = None

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def blocker_count(self) -> int:
        """Open blocker findings: the one number every page and the dossier report."""
        return sum(c.blocker_count for c in self.checks)

    @property
    def listed_blockers(self) -> tuple[Blocker, ...]:
        """The blockers each check lists (at most BLOCKERS_LISTED of each), in check order."""
        return tuple(b for c in self.checks for b in c.blockers)

    @property
    def checks_with_blockers(self) -> tuple[CheckStanding, ...]:
        return tuple(c for c in self.checks if c.blocker_count)

    @property
    def unsigned_checks(self) -> tuple[CheckStanding, ...]:
        """Checks not signed on current content: not signed yet, or stale."""
        return tuple(c for c in self.checks if not c.signed)

    @property
    def signed_checks(self) -> int:
        return len(self.checks) - len(self.unsigned_checks)

    @property
    def blockers_due(self) -> dt.date:
        """When blockers must be cleared: by plan lock, or by go-live once the plan locked."""
        return self.plan_lock_date if self.days_to_plan_lock >= 0 else self.go_live_date

    def as_json(self) -> dict:
        return {
            "state": str(self.state),
            "checks": [c.as_json() for c in self.checks],
            "accepted_risks": self.accepted_risks,
            "days_to_plan_lock": self.days_to_plan_lock,
            "days_to_go_live": self.days_to_go_live,
            "plan_lock_date": self.plan_lock_date.isoformat(),
            "go_live_date": self.go_live_date.isoformat(),
            "other_reasons": list(self.other_reasons),
            "blocker_count": self.blocker_count,
            "open_highs": self.open_highs,
            "no_answers": self.no_answers,
            "accepted_blockers": [b.as_json() for b in self.accepted_blockers],
            "assurance": self.assurance.as_json() if self.assurance else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Verdict":
        return cls(
            state=VerdictState(data["state"]),
            checks=tuple(CheckStanding.from_json(c) for c in data["checks"]),
            accepted_risks=data["accepted_risks"],
            days_to_plan_lock=data["days_to_plan_lock"],
            days_to_go_live=data["days_to_go_live"],
            plan_lock_date=dt.date.fromisoformat(data["plan_lock_date"]),
            go_live_date=dt.date.fromisoformat(data["go_live_date"]),
            other_reasons=tuple(data.get("other_reasons", ())),
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
    checks: list[CheckStanding],
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
    high findings stay within the lead's limit.

    Unsigned and stale checks keep a project from Ready, but they are the checks' status, not
    blockers: a blocker is an open finding of blocker severity, something to fix or accept."""
    highs = too_many_highs(open_highs, high_limit)
    other_reasons = (highs,) if highs else ()
    blocked = any(c.blocker_count for c in checks)
    if blocked or other_reasons or any(not c.signed for c in checks):
        state = VerdictState.NOT_READY
    elif accepted_risks:
        state = VerdictState.READY_WITH_RISKS
    else:
        state = VerdictState.READY
    return Verdict(
        state=state,
        checks=tuple(checks),
        accepted_risks=accepted_risks,
        days_to_plan_lock=(plan_lock_date - today).days,
        days_to_go_live=(go_live_date - today).days,
        plan_lock_date=plan_lock_date,
        go_live_date=go_live_date,
        other_reasons=other_reasons,
        open_highs=open_highs,
        no_answers=no_answers,
        accepted_blockers=accepted_blockers,
        assurance=assurance,
    )
