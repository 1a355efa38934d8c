from __future__ import annotations

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest

from app.config import Settings
from app.ops.archive import verify_archive
from app.ops.backup import create_backup, public_settings, restore_backup
from app.ops.errors import BackupError
from app.worker import create_huey, create_queue
from tests.app.ops.factories import TABLES, original_bytes, populate, snapshot
from tests.app.test_cli import kontor
from tests.conftest import REDIS_URL, make_settings


def env_for(url: str, data_dir: Path) -> dict[str, str]:
    return {"KONTOR_DATABASE_URL": url, "KONTOR_DATA_DIR": str(data_dir), "KONTOR_MODEL__BACKEND": "fake"}


def test_backup_and_restore_elsewhere_keep_every_row_and_byte(
    tmp_path: Path, live_database_url: str, empty_database_url: str
) -> None:
    populate(live_database_url)
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    (source_dir / "models").mkdir(parents=True)
    (source_dir / "models" / "vendor.bin").write_bytes(b"trained weights")
    archive = tmp_path / "backups" / "kontor.tar.gz"

    made = kontor("backup", str(archive), env=env_for(live_database_url, source_dir))
    assert made.returncode == 0, made.stderr
    verified = kontor("backup", "--verify", str(archive), env=env_for(live_database_url, source_dir))
    assert verified.returncode == 0, verified.stderr
    restored = kontor("restore", str(archive), env=env_for(empty_database_url, target_dir))
    assert restored.returncode == 0, restored.stderr

    before, after = snapshot(live_database_url), snapshot(empty_database_url)
    assert len(before["documents"]) == 4
    assert len(before["journal_entries"]) == 2
    assert before["audit_events"]  # uploads, status moves, postings
    for table in TABLES:
        assert after[table] == before[table], table
    assert original_bytes(empty_database_url) == original_bytes(live_database_url)
    assert (target_dir / "models" / "vendor.bin").read_bytes() == b"trained weights"
    integrity = kontor("check-integrity", env=env_for(empty_database_url, target_dir))
    assert integrity.returncode == 0, integrity.stderr


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    env = env_for(live_database_url, tmp_path)
    archive = tmp_path / "b.tar.gz"
    assert kontor("backup", str(archive), env=env).returncode == 0
    refused = kontor("restore", str(archive), env=env)
    assert refused.returncode == 2
    assert "not empty" in refused.stderr
    forced = kontor("restore", "--force", str(archive), env=env)
    assert forced.returncode == 0, forced.stderr
    assert len(snapshot(live_database_url)["documents"]) == 4


def test_verify_finds_an_altered_archive(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    archive = tmp_path / "b.tar.gz"
    assert kontor("backup", str(archive), env=env_for(live_database_url, tmp_path)).returncode == 0
    manifest = verify_archive(archive)
    assert manifest["documents"] == 4
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(forged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member)
            assert data is not None
            body = data.read()
            if member.name == "settings.json":
                body = body.replace(b"}", b', "x": 1}', 1)
                member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    with pytest.raises(BackupError, match=r"settings\.json: checksum mismatch"):
        verify_archive(forged)
    result = kontor("backup", "--verify", str(forged), env=env_for(live_database_url, tmp_path))
    assert result.returncode == 1


def test_archived_settings_hold_no_secrets(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url="postgresql+psycopg://kontor:s3cret@db/kontor",
        metrics_token="tok-123",
        model={"backend": "openai", "url": "http://m", "api_key": "sk-abc"},
    )
    text = json.dumps(public_settings(settings))
    for secret in ("s3cret", "tok-123", "sk-abc"):
        assert secret not in text
    assert "db/kontor" in text


def test_the_queues_pending_tasks_travel_with_the_backup(
    tmp_path: Path, live_database_url: str, empty_database_url: str
) -> None:
    populate(live_database_url)
    names = [f"kontor-test-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    source = make_settings(tmp_path / "a", live_database_url, queue_url=REDIS_URL, queue_name=names[0])
    target = make_settings(tmp_path / "b", empty_database_url, queue_url=REDIS_URL, queue_name=names[1])
    queue = create_queue(source)
    try:
        queue.process_document(4)
        manifest = create_backup(source, tmp_path / "q.tar.gz")
        restore_backup(target, tmp_path / "q.tar.gz")
        restored = create_queue(target).huey
        assert manifest["queue"] == {"pending": 1}
        assert restored.pending_count() == 1
        assert restored.pending()[0].args == (4,)
    finally:
        queue.huey.flush()
        create_huey(target).flush()
