"""Canonical content of what is signed, and its SHA-256.

The serialization uses names, never database ids or timestamps, so the same content hashes the
same on SQLite and PostgreSQL, today and next year. Any change to a signed field changes the hash,
and a sign-off whose hash no longer matches is stale.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models

SKIPPED_FIELDS = {"id", "project", "created", "updated", "version"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def item_content(instance: models.Model) -> dict[str, Any]:
    """Every signed field of a register item, foreign keys by name, many-to-many as sorted names.

    Relations must be select_related / prefetched by the caller to keep this query-free.
    """
    content: dict[str, Any] = {}
    for field in instance._meta.get_fields():
        if field.auto_created or field.name in SKIPPED_FIELDS:
            continue
        if field.many_to_many:
            content[field.name] = sorted(str(o) for o in getattr(instance, field.name).all())
        elif not field.concrete:
            continue
        elif field.is_relation:
            related = getattr(instance, field.name)
            content[field.name] = str(related) if related is not None else None
        else:
            content[field.name] = _plain(getattr(instance, field.attname))
    return content


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def content_for_people(model: type[models.Model], content: dict[str, Any]) -> list[tuple[str, Any]]:
    """Signed content as a reader sees it: field labels, choice labels, Yes/No, joined lists."""
    rows = []
    for name, value in content.items():
        field = model._meta.get_field(name)
        if field.choices and value is not None:
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, list):
            value = ", ".join(value)
        rows.append((str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:], value))
    return rows
