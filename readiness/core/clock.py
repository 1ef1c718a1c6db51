"""The review's day.

Day counts (to plan lock, to go-live) and the warning signs that escalate near plan lock change
at midnight in the site's time zone (settings.TIME_ZONE), whatever zone a page shows its times
in: a project's pages, the portfolio and the dossier must agree on the same counts.
"""

import datetime as dt

from django.utils import timezone


def site_today(at: dt.datetime | None = None) -> dt.date:
    """Today (or the day of `at`) in the site's time zone."""
    return timezone.localdate(at, timezone=timezone.get_default_timezone())
