"""The signed-in user and the state of their projects, read together on every request.

A kept page (readiness.core.pages) checks on every request what it shows depends on: the
user's membership of the project and the project's revision and history head. Read with the
session's user, in the same statement, that costs no round trip of its own.
"""

import json
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models.expressions import Col

from readiness.core.auth import UserBackend
from readiness.core.db import hot_cursor
from readiness.projects.models import Membership, Project

# One entry per membership: (project id, slug, revision, history head, role), by project id.
_STATES = {
    "postgresql": (
        "SELECT COALESCE(json_agg(json_build_array(p.id, p.slug, p.revision, p.history_head,"
        " m.role) ORDER BY p.id), '[]')"
    ),
    "sqlite": (
        "SELECT COALESCE(json_group_array(json_array(p.id, p.slug, p.revision, p.history_head,"
        " m.role)), '[]')"
    ),
}


@cache
def _user_sql(vendor: str) -> str:
    User = get_user_model()
    columns = ", ".join(f"u.{f.column}" for f in User._meta.concrete_fields)
    states = _STATES.get(vendor)
    if states is None:
        return ""
    order = " ORDER BY m.project_id" if vendor == "sqlite" else ""
    subquery = (
        f"{states} FROM (SELECT * FROM {Membership._meta.db_table} m"
        f" WHERE m.user_id = u.{User._meta.pk.column}{order}) m"
        f" JOIN {Project._meta.db_table} p ON p.id = m.project_id"
    )
    return (
        f"SELECT {columns}, ({subquery}) FROM {User._meta.db_table} u"
        f" WHERE u.{User._meta.pk.column} = %s"
    )


def membership_states(value) -> dict[str, tuple]:
    """{slug: (project id, revision, history head, role)} from the statement's last column."""
    rows = json.loads(value) if isinstance(value, str | bytes) else value
    return {slug: (pk, revision, head, role) for pk, slug, revision, head, role in rows}


class MemberBackend(UserBackend):
    """Reads the session's user and, in the same statement, the user's memberships with each
    project's revision and history head (`user.membership_states`), which kept pages check."""

    def get_user(self, user_id):
        User = get_user_model()
        db = router.db_for_read(User)
        connection = connections[db]
        sql = _user_sql(connection.vendor)
        if not sql:  # a database this statement is not written for
            return super().get_user(user_id)
        try:
            user_id = User._meta.pk.to_python(user_id)
        except Exception:
            return None
        with hot_cursor(db) as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        fields = User._meta.concrete_fields
        values = []
        for field, value in zip(fields, row, strict=False):
            col, converters = _converters(connection, field)
            for converter in converters:
                value = converter(value, col, connection)
            values.append(value)
        user = User.from_db(db, [f.attname for f in fields], values)
        user.membership_states = membership_states(row[len(fields)])
        return user if self.user_can_authenticate(user) else None


def _converters(connection, field) -> tuple[Col, list]:
    """What the ORM applies to a value of `field` read from this database (e.g. SQLite's
    datetimes arrive as text)."""
    key = (connection.alias, field.attname)
    if key not in _CONVERTERS:
        col = Col(field.model._meta.db_table, field)
        converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        _CONVERTERS[key] = (col, converters)
    return _CONVERTERS[key]


_CONVERTERS: dict[tuple[str, str], tuple[Col, list]] = {}
