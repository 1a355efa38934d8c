"""Switching a table's protective triggers off for one transaction (the retention purge, tests).

Both databases change triggers transactionally, so the triggers are back before anyone else can
see the table without them, and a failure rolls the whole change back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text


@contextmanager
def triggers_suspended(connection: Connection, *tables: str) -> Iterator[None]:
    """Inside a savepoint: the tables' user triggers are off, and restored before it is released."""
    with connection.begin_nested():
        if connection.dialect.name == "postgresql":
            for table in tables:
                connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
            yield
            for table in tables:
                connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
            return
        saved = _sqlite_triggers(connection, tables)
        for name, _sql in saved:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
        yield
        for _name, sql in saved:
            connection.execute(text(sql))


def _sqlite_triggers(connection: Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    rows = connection.execute(
        text("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    ).all()
    return [(name, sql) for table, name, sql in rows if table in tables]
