"""What the login throttle (django-axes) records as the username of an attempt."""

from django.http import HttpRequest

USERNAME_LENGTH = 150  # the longest username an account can have


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username as typed, without control characters (PostgreSQL refuses NUL) and cut to
    the longest possible one, so a junk login post is throttled like any other, not a 500."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "") if request is not None else ""
    value = "".join(ch for ch in str(value) if ch.isprintable())
    return value[:USERNAME_LENGTH]
