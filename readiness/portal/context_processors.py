from functools import cache

from django.utils.html import format_html

from readiness.core.pages import kept_across_projects, register_slot
from readiness.reviews.state import pending_signoff_count


def _nav_key(user) -> str:
    return f"nav-count:{user.pk}"


def nav_count(user, found: dict | None = None) -> int:
    """The navigation's "My sign-offs" count: kept until a recorded write or the next day, so
    most pages read it from the cache with no query at all."""
    return kept_across_projects(_nav_key(user), lambda: pending_signoff_count(user), found)


def nav_count_badge(count: int) -> str:
    """The count beside "My sign-offs", nothing when there is nothing to sign."""
    return format_html(' <span class="count">{}</span>', count) if count else ""


def navigation(request) -> dict:
    """Values the navigation shows on every page, computed only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_count_badge": cache(lambda: nav_count_badge(nav_count(user)))}


def _nav_count_slot(request) -> str:
    """The count filled into a kept page on every response."""
    user = request.user
    count = nav_count(user, getattr(request, "kept_found", None)) if user.is_authenticated else 0
    return nav_count_badge(count)


register_slot("nav-count", _nav_count_slot, prefetch=lambda request: [_nav_key(request.user)])
