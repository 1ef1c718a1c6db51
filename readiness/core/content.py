"""Canonical content of a row, its SHA-256, and the field-level difference between two contents.

The serialization uses names, never database ids or timestamps, so the same content hashes the
same on SQLite and PostgreSQL, today and next year. Sign-offs hash it to detect staleness; the
activity history stores the difference between a row before and after a change.
"""

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

from django.db import models

SKIPPED_FIELDS = {
    "id",
    "project",
    "created",
    "updated",
    "version",
    "revision",
    "history_head",
    "members",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def item_content(instance: models.Model, *, m2m: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every recorded field of a row, foreign keys by name, many-to-many as sorted names.

    Relations must be select_related / prefetched by the caller to keep this query-free.
    `m2m` overrides many-to-many values, e.g. with a form's cleaned data before it is saved.
    """
    content: dict[str, Any] = {}
    for field in instance._meta.get_fields():
        if field.auto_created or field.name in SKIPPED_FIELDS:
            continue
        if field.many_to_many:
            if m2m is not None and field.name in m2m:
                related = m2m[field.name]
            else:
                related = getattr(instance, field.name).all()
            content[field.name] = sorted(str(o) for o in related)
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


def field_label(model: type[models.Model], name: str) -> str:
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists in the model: show its name
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def value_for_people(model: type[models.Model], name: str, value: Any) -> Any:
    """A stored value as a reader sees it: choice labels, Yes/No, joined lists, '—' for none."""
    try:
        field = model._meta.get_field(name)
    except Exception:
        field = None
    if _empty(value):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def content_for_people(model: type[models.Model], content: dict[str, Any]) -> list[tuple[str, Any]]:
    """Content as a reader sees it: field labels and readable values, in field order."""
    return [
        (field_label(model, name), value_for_people(model, name, value))
        for name, value in content.items()
    ]


def content_diff(
    model: type[models.Model], before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The fields that differ between two contents of one row: field, label, old and new value.

    `before` None means the row was created, `after` None that it was deleted; then every field
    with a value is listed. Values are the readable ones, so an entry reads the same forever.
    """
    before, after = before or {}, after or {}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old == new or (_empty(old) and _empty(new)):
            continue
        changes.append(
            {
                "field": name,
                "label": field_label(model, name),
                "old": value_for_people(model, name, old),
                "new": value_for_people(model, name, new),
            }
        )
    return changes


def form_content(form) -> dict[str, Any]:
    """The content a valid ModelForm would save, before it is saved (many-to-many included)."""
    instance = form.instance
    m2m = {}
    for field in instance._meta.many_to_many:
        if field.name in form.cleaned_data:
            m2m[field.name] = form.cleaned_data[field.name]
        elif instance.pk is None:
            m2m[field.name] = []
    return item_content(instance, m2m=m2m)
