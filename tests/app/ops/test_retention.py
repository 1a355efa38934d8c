from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from app.db import get_engine, get_sessionmaker, session_scope
from app.journal.models import JournalEntry
from app.models import AuditEvent, Document
from app.ops.errors import RetentionError
from app.ops.integrity import check_integrity
from app.ops.retention import period_end, purge
from app.ops.triggers import triggers_suspended
from tests.app.ops.factories import populate, post_invoice
from tests.app.test_cli import kontor
from tests.conftest import make_settings


def age(url: str, document_id: int, year: int) -> None:
    """Move a document and its journal entries into `year` (entries are immutable: past the triggers)."""
    moment = datetime(year, 6, 30, tzinfo=UTC)
    with get_engine(url).begin() as conn:
        conn.execute(update(Document).where(Document.id == document_id).values(received_at=moment))
        with triggers_suspended(conn, "journal_entries"):
            conn.execute(
                update(JournalEntry)
                .where(JournalEntry.document_id == document_id)
                .values(posted_at=moment, document_date=moment.date())
            )


def test_periods_end_with_the_calendar_year() -> None:
    assert period_end(2016, 8) == date(2024, 12, 31)
    assert period_end(2016, 10) == date(2026, 12, 31)


def test_purge_inside_the_period_is_refused_and_removes_nothing(
    tmp_path: Path, live_database_url: str
) -> None:
    populate(live_database_url)
    settings = make_settings(tmp_path, live_database_url)
    with pytest.raises(RetentionError, match=r"inside the statutory retention period.*\b1 \(until"):
        purge(settings, document_ids=[1])
    report = purge(settings, document_ids=None)
    assert (report.purged, report.kept) == ([], 4)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert session.scalar(select(Document.purged_at).where(Document.id == 1)) is None
        assert len(session.scalars(select(JournalEntry)).all()) == 2


def test_the_database_refuses_deleting_a_document_inside_its_period(live_database_url: str) -> None:
    populate(live_database_url)
    with get_engine(live_database_url).connect() as conn, pytest.raises(DatabaseError, match="retention"):
        conn.execute(text("DELETE FROM documents WHERE id = 4"))


def test_books_outlive_their_original_by_two_years(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    this_year = datetime.now(UTC).year
    age(live_database_url, 1, this_year - 9)  # original past 8 years, books inside 10
    with pytest.raises(RetentionError, match="inside"):
        purge(make_settings(tmp_path, live_database_url), document_ids=[1])


def test_purge_after_the_period_removes_original_and_books_and_records_it(
    tmp_path: Path, live_database_url: str
) -> None:
    populate(live_database_url)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        post_invoice(session, "C-3", "Alte Druckerei KG", "DE333333333")
    old = 5
    age(live_database_url, old, datetime.now(UTC).year - 11)
    settings = make_settings(tmp_path, live_database_url)

    report = purge(settings, document_ids=None)

    assert [record["document_id"] for record in report.purged] == [old]
    assert report.kept == 4
    with session_scope(get_sessionmaker(live_database_url)) as session:
        document = session.get(Document, old)
        assert document is not None
        assert document.purged_at is not None
        assert document.content == b""
        assert len(document.sha256) == 64  # the tombstone keeps what the original was
        assert session.scalars(select(JournalEntry).where(JournalEntry.document_id == old)).all() == []
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).one()
        assert event.document_id == old
        assert event.before is not None
        assert len(event.before["journal_entries"]) == 1
    with get_engine(live_database_url).connect() as conn, pytest.raises(DatabaseError, match="immutable"):
        conn.execute(text("DELETE FROM journal_entries"))  # the triggers are back
    assert check_integrity(settings).ok


def test_purge_command_refuses_documents_inside_their_period(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    refused = kontor("purge", "1", "2", env=env)
    assert refused.returncode == 2
    assert "nothing purged" in refused.stderr
    expired = kontor("purge", "--expired", env=env)
    assert expired.returncode == 0, expired.stderr
    assert "0 purged" in expired.stderr
