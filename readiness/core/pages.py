"""Whole pages kept between requests: a signed-in page is rendered once for each state of what
it shows, then served from the cache until that state changes.

A view opts in with `@kept_page(state)`. `state(request, **kwargs)` returns what the page
shows depends on — a project's revision and history head, the user's role, the day — and raises
Http404 / PermissionDenied exactly as the view itself would, so access is checked on every
request, kept page or not. The key also holds the user, the path with its query string, the
release (templates and code) and whether htmx asked. Only full-page GETs are kept.

What differs per request is never kept: the CSRF token is swapped for a placeholder before the
page is stored and a fresh one is put in on every hit; *slots* — parts of the layout marked
`<!--slot:NAME-->…<!--/slot-->`, such as flash messages and the navigation's count — are filled
anew for each response by the function registered for them (`register_slot`).
"""

import hashlib
import re
import secrets
import uuid
import zlib
from collections.abc import Callable
from functools import cache as cache_once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token, get_token
from django.template.loader import render_to_string

from readiness.core.clock import site_today

KEEP_SECONDS = 3600
CSRF_SLOT = b"\x00csrf\x00"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_SLOT = re.compile(rb"<!--slot:([a-z-]+)-->.*?<!--/slot-->", re.S)

SlotFiller = Callable[[HttpRequest], str]
_slots: dict[str, SlotFiller] = {}
_prefetches: list[Callable[[HttpRequest], list[str]]] = []


def register_slot(
    name: str, filler: SlotFiller, prefetch: Callable[[HttpRequest], list[str]] | None = None
) -> None:
    """`filler(request)` gives the HTML between `<!--slot:name-->` and `<!--/slot-->`;
    `prefetch(request)` names cache keys it reads, fetched with the page in one round trip
    (the filler finds them in `request.kept_found`)."""
    _slots[name] = filler
    if prefetch is not None:
        _prefetches.append(prefetch)


def _messages(request: HttpRequest) -> str:
    messages = list(getattr(request, "_messages", ()))  # read: they are shown once
    return render_to_string("_messages.html", {"messages": messages}) if messages else ""


register_slot("messages", _messages)


@cache_once
def release() -> str:
    """Changes whenever a template, stylesheet, script or module changes (a deploy), so a page
    kept by the previous release is never served by the next."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / d for d in ("templates", "static", "readiness")]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".css", ".js", ".py"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _fill_slots(request: HttpRequest, body: bytes) -> bytes:
    def fill(match: re.Match) -> bytes:
        name = match.group(1).decode()
        filler = _slots.get(name)
        if filler is None:
            return match.group(0)
        return b"<!--slot:%s-->%s<!--/slot-->" % (match.group(1), filler(request).encode())

    return _SLOT.sub(fill, body)


def _without_csrf_token(request: HttpRequest, body: bytes) -> bytes:
    """The page with every CSRF token issued to this request replaced by a placeholder: tokens
    are masked anew each time, so each candidate is unmasked and compared with the secret."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body

    def swap(match: re.Match) -> bytes:
        token = match.group(0).decode()
        return CSRF_SLOT if _unmask_cipher_token(token) == secret else match.group(0)

    return _TOKEN.sub(swap, body)


_CSRF_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
_CSRF_BASE = len(CSRF_ALLOWED_CHARS)
_CSRF_UNBIASED = 256 - 256 % _CSRF_BASE  # bytes at or above this would favour some chars


def _csrf_token(request: HttpRequest) -> str:
    """What `get_token(request)` gives — the secret masked anew for this response — with the
    mask drawn from one `secrets.token_bytes` call rather than Django's 32 `secrets.choice`s
    (a tenth of a kept page's cost)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: renew the cookie's expiry
    mask = []
    while len(mask) < len(secret):
        mask += [b % _CSRF_BASE for b in secrets.token_bytes(48) if b < _CSRF_UNBIASED]
    mask = mask[: len(secret)]
    cipher = (_CSRF_INDEX[char] + m for char, m in zip(secret, mask, strict=True))
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[m] for m in mask) + "".join(chars[c % _CSRF_BASE] for c in cipher)


def dont_keep(request: HttpRequest) -> None:
    """This response shows something of this request or session alone (an undo offer): it is
    served, but not kept."""
    request.kept_page_refused = True


def page_key(request: HttpRequest, state: tuple) -> str:
    user = request.user
    parts = (
        release(),
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.is_staff,
        user.is_superuser,
        site_today().isoformat(),
        request.get_full_path(),
        state,
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_page(state: Callable[..., tuple | None]):
    """Serve a signed-in full-page GET from the cache while `state(request, **kwargs)` is the
    same; `state` returning None means "do not keep this one" (e.g. a job still running)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            keeps = (
                settings.READINESS_KEEP_PAGES
                and request.method == "GET"
                and not request.headers.get("HX-Request")
                and request.user.is_authenticated
            )
            current = state(request, *args, **kwargs) if keeps else None
            if current is None:
                return view(request, *args, **kwargs)
            key = page_key(request, current)
            keys = [key, WRITES_KEY] + [k for prefetch in _prefetches for k in prefetch(request)]
            request.kept_found = cache.get_many(keys)
            kept = request.kept_found.get(key)
            if kept is not None:
                content_type, packed = kept
                body = zlib.decompress(packed)
                token = _csrf_token(request).encode()
                body = _fill_slots(request, body.replace(CSRF_SLOT, token))
                return HttpResponse(body, content_type=content_type)
            response = view(request, *args, **kwargs)
            refused = getattr(request, "kept_page_refused", False)
            if response.status_code == 200 and not response.streaming and not refused:
                body = _without_csrf_token(request, response.content)
                # Packed: a page shrinks about sixfold, so the cache holds six times as many.
                cache.set(key, (response["Content-Type"], zlib.compress(body, 1)), KEEP_SECONDS)
            return response

        return wrapper

    return decorate


# --- Writes anywhere ---------------------------------------------------------------------------
# Values that depend on several projects at once (the navigation's count) are kept under a
# marker that every recorded write replaces: at once, so the writing request itself sees the
# change, and again after its transaction commits, so nothing computed from the state before
# the commit stays kept under the new marker.
WRITES_KEY = "writes-marker"


def _new_marker() -> None:
    cache.set(WRITES_KEY, uuid.uuid4().hex, None)


def note_write() -> None:
    """Call inside the transaction of every write that can change what pages show."""
    _new_marker()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is _new_marker for _, callback, _ in connection.run_on_commit
    ):
        return  # one new marker after the commit is enough, however many writes it holds
    transaction.on_commit(_new_marker)


def kept_across_projects(
    key: str, compute: Callable[[], object], found: dict | None = None
) -> object:
    """`compute()`'s value, kept until the next recorded write anywhere or the next day.
    `found`: the cache's answer for WRITES_KEY and `key` if already fetched."""
    today = site_today().isoformat()
    if found is None:
        found = cache.get_many([WRITES_KEY, key])
    marker = found.get(WRITES_KEY)
    kept = found.get(key)
    if marker is not None and kept is not None and kept[:2] == (marker, today):
        return kept[2]
    value = compute()
    if marker is None:
        marker = uuid.uuid4().hex
        cache.add(WRITES_KEY, marker, None)
        marker = cache.get(WRITES_KEY)
    cache.set(key, (marker, today, value), KEEP_SECONDS)
    return value
