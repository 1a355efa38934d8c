from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, Table, select, text

from app.db import get_engine
from app.migrate import upgrade
from app.ops.archive import verify_archive
from app.ops.integrity import check_integrity
from tests.app.test_cli import kontor
from tests.conftest import make_settings

PREVIOUS_HEAD = "0004"


def fill_old_schema(url: str) -> None:
    """Rows as the previous schema wrote them: a document and its audit trail, without hashes."""
    with get_engine(url).begin() as conn:
        meta = MetaData()
        documents = Table("documents", meta, autoload_with=conn)
        events = Table("audit_events", meta, autoload_with=conn)
        at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
        conn.execute(
            documents.insert().values(
                id=1,
                sha256="a" * 64,
                content=b"%PDF-1.4 old",
                filename="alt.pdf",
                media_type="application/pdf",
                size=12,
                source="api",
                uploaded_by="key:old",
                received_at=at,
                status="received",
                status_updated_at=at,
                attempts=0,
            )
        )
        conn.execute(
            events.insert(),
            [
                {
                    "at": at,
                    "actor": "key:old",
                    "action": "upload",
                    "document_id": 1,
                    "after": {"sha256": "a" * 64},
                },
                {
                    "at": at,
                    "actor": "system",
                    "action": "status",
                    "document_id": 1,
                    "before": {"status": "received"},
                    "after": {"status": "processing", "reason": None},
                },
            ],
        )


def test_upgrade_from_the_previous_head_keeps_the_data_and_chains_the_audit_trail(
    tmp_path: Path, empty_database_url: str
) -> None:
    upgrade(empty_database_url, PREVIOUS_HEAD)
    fill_old_schema(empty_database_url)
    get_engine(empty_database_url).dispose()
    env = {"KONTOR_DATABASE_URL": empty_database_url, "KONTOR_DATA_DIR": str(tmp_path)}

    migrated = kontor("migrate", "--backup", env=env)

    assert migrated.returncode == 0, migrated.stderr
    (archive,) = (tmp_path / "backups").glob("kontor-*-before-*.tar.gz")
    assert verify_archive(archive)["schema_revision"] == PREVIOUS_HEAD
    with get_engine(empty_database_url).connect() as conn:
        assert (
            conn.execute(text("SELECT content FROM documents WHERE id = 1")).scalar_one() == b"%PDF-1.4 old"
        )
        hashes = conn.execute(text("SELECT prev_sha256, sha256 FROM audit_events ORDER BY id")).all()
    assert hashes[0][0] == "0" * 64
    assert hashes[1][0] == hashes[0][1]
    report = check_integrity(make_settings(tmp_path, empty_database_url))
    assert report.problems == ["document 1: the original does not match its SHA-256"]  # "a" * 64 is no hash
    assert report.audit_rows == 2


def test_migrate_refuses_a_database_from_a_newer_version(tmp_path: Path, live_database_url: str) -> None:
    with get_engine(live_database_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
        assert conn.execute(select(text("version_num")).select_from(text("alembic_version"))).scalar_one()
    refused = kontor(
        "migrate", env={"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    )
    assert refused.returncode == 2
    assert "newer version" in refused.stderr
