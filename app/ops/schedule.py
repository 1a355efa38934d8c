"""The nightly integrity check and the scheduled backup, as Huey periodic tasks.

Every consumer registers them; a database lock (the mail run's lock table) lets one through.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from huey import Huey

from app.config import Settings
from app.db import get_sessionmaker
from app.errors import KontorError
from app.mail.lock import MailRunLockedError, hold
from app.mail.schedule import cron_matcher
from app.ops.backup import create_backup
from app.ops.integrity import check_integrity

log = logging.getLogger(__name__)

BACKUP_PATTERN = re.compile(r"^kontor-\d{8}T\d{6}Z\.tar\.gz$")
LOCK_TTL = timedelta(hours=6)
T = TypeVar("T")


def _alone(settings: Settings, name: str, work: Callable[[], T]) -> T | None:
    """Run `work` unless another process runs the same task now (every consumer schedules it)."""
    try:
        with hold(get_sessionmaker(settings.resolved_database_url), name, ttl=LOCK_TTL):
            return work()
    except MailRunLockedError:
        log.info("%s skipped: another process is running it", name)
        return None


def register_ops_tasks(huey: Huey, settings: Settings) -> None:
    if settings.monitoring.integrity_schedule:
        matcher = cron_matcher(settings.monitoring.integrity_schedule, utc=huey.utc)

        @huey.periodic_task(matcher, name="check_integrity")  # type: ignore[untyped-decorator]
        def nightly_integrity() -> bool | None:
            return _alone(settings, "integrity", lambda: _logged_integrity(settings))

    if settings.backup.schedule:

        @huey.periodic_task(cron_matcher(settings.backup.schedule, utc=huey.utc), name="backup")  # type: ignore[untyped-decorator]
        def scheduled_backup() -> str:
            return str(_alone(settings, "backup", lambda: run_scheduled_backup(settings)))


def _logged_integrity(settings: Settings) -> bool:
    report = check_integrity(settings)
    log.log(logging.INFO if report.ok else logging.ERROR, "integrity check: %s", report.summary())
    return report.ok


def backup_dir(settings: Settings) -> Path:
    return settings.backup.dir or settings.data_dir / "backups"


def run_scheduled_backup(settings: Settings, now: datetime | None = None) -> Path | None:
    """One timestamped archive in the backup folder, then the oldest beyond `keep` are removed."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir(settings) / f"kontor-{stamp}.tar.gz"
    try:
        create_backup(settings, target)
    except KontorError as exc:
        log.error("scheduled backup failed: %s", exc.message)
        return None
    for old in prune_backups(backup_dir(settings), settings.backup.keep):
        log.info("removed old backup %s", old)
    return target


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` scheduled archives (by the timestamp in their name)."""
    archives = sorted(p for p in folder.iterdir() if BACKUP_PATTERN.match(p.name))
    doomed = archives[:-keep] if len(archives) > keep else []
    for path in doomed:
        path.unlink()
    return doomed
