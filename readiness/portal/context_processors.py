from functools import cache

from readiness.reviews.state import pending_signoff_count


def navigation(request) -> dict:
    """Values the navigation shows on every page, computed only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"pending_signoff_count": cache(lambda: pending_signoff_count(user))}
