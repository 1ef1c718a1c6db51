"""Statements run on every request are planned once per connection, and still counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness.core.db import hot_cursor

pytestmark = pytest.mark.django_db


def _prepared(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{marker}%"]
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_a_hot_statement_is_prepared_once_and_logged_like_any_other():
    sql = "SELECT %s::int + 1 AS hot_cursor_probe"
    with CaptureQueriesContext(connection) as queries:
        for n in range(3):
            with hot_cursor() as cursor:
                cursor.execute(sql, [n])
                assert cursor.fetchone() == (n + 1,)
    assert len(queries) == 3
    assert _prepared("hot_cursor_probe") == 1
