from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.db import get_engine
from app.main import create_app
from app.ops.integrity import check_integrity
from app.ops.triggers import triggers_suspended
from app.worker import create_queue
from tests.app.ops.factories import populate
from tests.conftest import make_settings


def tamper(url: str, table: str, statement: str, **params: object) -> None:
    """An edit made directly in the database, past the triggers that refuse it (as a superuser could)."""
    with get_engine(url).begin() as conn, triggers_suspended(conn, table):
        conn.execute(text(statement), params)


def test_an_untouched_installation_is_intact(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    report = check_integrity(make_settings(tmp_path, live_database_url))
    assert report.ok, report.problems
    assert report.documents == 4
    assert report.audit_rows == 6  # four uploads, two postings


def test_an_audit_row_edited_in_the_database_is_found(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    with get_engine(live_database_url).connect() as conn, pytest.raises(DatabaseError, match="append-only"):
        conn.execute(text("UPDATE audit_events SET actor = 'someone else' WHERE id = 3"))
    tamper(live_database_url, "audit_events", "UPDATE audit_events SET actor = 'someone else' WHERE id = 3")
    report = check_integrity(make_settings(tmp_path, live_database_url))
    assert not report.ok
    assert report.problems == ["audit row 3: content does not match its hash"]


def test_a_deleted_audit_row_is_found(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    tamper(live_database_url, "audit_events", "DELETE FROM audit_events WHERE id = 2")
    report = check_integrity(make_settings(tmp_path, live_database_url))
    assert "audit row 3: does not follow the row before it" in report.problems


def test_a_changed_original_is_found_and_readyz_says_degraded(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    forged = b"%PDF-1.4 another invoice"
    tamper(
        live_database_url, "documents", "UPDATE documents SET content = :forged WHERE id = 2", forged=forged
    )
    settings = make_settings(tmp_path, live_database_url)
    report = check_integrity(settings)
    assert report.problems == ["document 2: the original does not match its SHA-256"]

    app = create_app(settings, queue=create_queue(settings))
    with TestClient(app) as client:
        body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["integrity"].startswith("degraded: integrity check failed (1 problems")
