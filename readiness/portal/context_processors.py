from functools import cache

from django.template.loader import render_to_string

from readiness.core.pages import kept_across_projects, register_slot
from readiness.reviews.state import pending_signoff_count


def _nav_key(user) -> str:
    return f"nav-count:{user.pk}"


def nav_count(user, found: dict | None = None) -> int:
    """The navigation's "My sign-offs" count: kept until a recorded write or the next day, so
    most pages read it from the cache with no query at all."""
    return kept_across_projects(_nav_key(user), lambda: pending_signoff_count(user), found)


def navigation(request) -> dict:
    """Values the navigation shows on every page, computed only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"pending_signoff_count": cache(lambda: nav_count(user))}


def _nav_count_slot(request) -> str:
    """The count filled into a kept page on every response."""
    user = request.user
    count = nav_count(user, getattr(request, "kept_found", None)) if user.is_authenticated else 0
    return render_to_string("_nav_count.html", {"pending_signoff_count": count})


register_slot("nav-count", _nav_count_slot, prefetch=lambda request: [_nav_key(request.user)])
