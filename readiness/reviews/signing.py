"""Canonical content of what is signed, and its SHA-256.

Any change to a signed field changes the hash, and a sign-off whose hash no longer matches is
stale. The serialization itself lives in core.content, shared with the activity history.
"""

from readiness.core.content import (  # noqa: F401  (the signing vocabulary, in one place)
    SKIPPED_FIELDS,
    canonical_json,
    content_diff,
    content_for_people,
    content_hash,
    item_content,
)
