"""Migration 0006_datev: down and up again, and the journal stays immutable (its columns are plain ADDs)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from app.db import get_engine, get_sessionmaker, session_scope
from app.migrate import alembic_config, upgrade
from tests.app.journal.test_datev import post
from tests.booking_factories import make_invoice


def test_the_export_ledger_migrates_down_and_up_and_keeps_the_journal_immutable(
    live_database_url: str,
) -> None:
    command.downgrade(alembic_config(live_database_url), "0006_datev-1")  # to just before it
    engine = get_engine(live_database_url)
    assert "datev_exports" not in inspect(engine).get_table_names()
    upgrade(live_database_url)
    engine.dispose()
    inspector = inspect(engine)
    assert {"datev_exports", "datev_batches", "datev_batch_entries"} <= set(inspector.get_table_names())
    assert "guid" in {c["name"] for c in inspector.get_columns("journal_lines")}
    with session_scope(get_sessionmaker(live_database_url)) as session:
        entry = post(session, make_invoice())
        assert all(line.guid for line in entry.lines)
    with engine.connect() as connection, pytest.raises(DatabaseError, match="immutable"):
        connection.execute(text("DELETE FROM journal_lines"))
