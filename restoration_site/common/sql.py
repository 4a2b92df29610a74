"""Plain SQL for the few reads that run on every request: a version a cached page is keyed on,
and the free-time reads of every booking. The ORM takes several times longer to build such a
query than the database takes to answer it (make bench)."""

from django.db import connection


def table(model) -> str:
    """A model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values: list) -> str:
    """`%s, %s, ...`, one for each of `values`, for an IN (...) list."""
    return ", ".join(["%s"] * len(values))


def rows(query: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()
