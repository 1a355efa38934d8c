from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from huey import MemoryHuey

from app.ops.archive import verify_archive
from app.ops.schedule import run_scheduled_backup
from app.worker import create_queue
from tests.app.ops.factories import populate
from tests.conftest import make_settings


def test_scheduled_backups_keep_the_newest(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    folder = tmp_path / "backups"
    settings = make_settings(
        tmp_path, live_database_url, backup={"schedule": "0 1 * * *", "dir": folder, "keep": 2}
    )
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    made = [run_scheduled_backup(settings, now=start + timedelta(days=day)) for day in range(3)]
    assert sorted(folder.iterdir()) == made[1:]
    newest = made[-1]
    assert newest is not None
    assert verify_archive(newest)["documents"] == 4


def test_backup_and_integrity_check_are_scheduled_on_the_queue(
    tmp_path: Path, live_database_url: str
) -> None:
    settings = make_settings(tmp_path, live_database_url, backup={"schedule": "0 1 * * *"})
    huey = create_queue(settings, MemoryHuey("schedule-test", immediate=False)).huey

    def due_at(hour: int, minute: int) -> set[str]:
        # Huey asks with naive UTC; the cron expressions are in the machine's local time.
        local = datetime(2026, 12, 1, hour, minute)
        return {task.name for task in huey.read_periodic(local.astimezone(UTC).replace(tzinfo=None))}

    assert "backup" in due_at(1, 0)
    assert "check_integrity" in due_at(3, 30)
    assert not {"backup", "check_integrity"} & due_at(12, 0)
