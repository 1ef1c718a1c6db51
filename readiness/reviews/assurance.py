"""Independent assurance as a warning sign: a red rating that stands near plan lock blocks.

An assurance review (internal audit, the system integrator's quality review, an outside
consultancy) rates the rollout red, amber or green. Failed rollouts were often rated red before
they went ahead; the rating is therefore part of the verdict, not a footnote: while the latest
review is red the project carries a finding in check 5, high at first and a blocker from 30
days before plan lock on — acceptable, like any blocker, only by two people.
"""

import datetime as dt

from readiness.reviews.findings import Finding, FindingSeverity

RED_BLOCKS_WITHIN_DAYS = 30
CHECK = "ownership"


def assurance_finding(latest, *, today: dt.date, plan_lock_date: dt.date) -> Finding | None:
    """The finding a project's latest assurance review raises today, if any.

    `latest` is the newest AssuranceReview (or anything with rating, reviewer, reviewed_on,
    summary and caveats), or None. The title names the review, so a newer red review is a new
    finding that an older acceptance does not cover.
    """
    if latest is None or latest.rating != "red":
        return None
    days = (plan_lock_date - today).days
    severity = FindingSeverity.BLOCKER if days <= RED_BLOCKS_WITHIN_DAYS else FindingSeverity.HIGH
    if days < 0:
        when = "the plan has already locked"
    elif days <= RED_BLOCKS_WITHIN_DAYS:
        when = f"the plan locks in {days} day{'s' if days != 1 else ''}"
    else:
        when = f"it blocks from {RED_BLOCKS_WITHIN_DAYS} days before plan lock"
    message = f"{latest.reviewer} rated the rollout red on {latest.reviewed_on:%-d %b %Y}; {when}."
    if latest.caveats:
        message += f" Their caveats: {latest.caveats}"
    return Finding(
        rule="assurance_red",
        check=CHECK,
        severity=severity,
        title=f"Independent assurance rated the rollout red ({latest.reviewer}, "
        f"{latest.reviewed_on:%-d %b %Y})",
        message=message,
    )
