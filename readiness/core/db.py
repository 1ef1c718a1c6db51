"""Statements read on every request, planned once per database connection.

PostgreSQL spends longer planning the signed-in user's statement (the user with the state of
their projects) than running it. Django binds parameters on the client, so nothing it runs is
ever prepared; `hot_cursor()` gives a cursor that binds on the server and has psycopg prepare
its statements on first use, so each connection plans them once. Django's wrapper is kept
around it, so the statements are logged and counted like any other.

settings.DATABASES' OPTIONS `prepare_threshold` (None turns it off, e.g. behind a connection
pooler that cannot keep prepared statements) decides whether psycopg prepares at all.
"""

from django.db import connections

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None


if psycopg is not None:

    class _PreparedCursor(psycopg.Cursor):
        """Binds parameters on the server and prepares every statement it runs."""

        def execute(self, query, params=None, **kwargs):
            kwargs.setdefault("prepare", True)
            return super().execute(query, params, **kwargs)


def hot_cursor(alias: str = "default"):
    """A cursor for a statement run on (nearly) every request; an ordinary one off PostgreSQL."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or psycopg is None:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = _PreparedCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)
