"""Upgrades: refuse a database from a newer Kontor, back up before migrating when asked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError

from app.config import Settings
from app.db import get_engine
from app.migrate import alembic_config
from app.ops.errors import UpgradeError


def revisions(url: str) -> tuple[str | None, str | None]:
    """(the database's revision, this Kontor's head); raises `UpgradeError` for an unknown revision."""
    script = ScriptDirectory.from_config(alembic_config(url))
    with get_engine(url).connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        try:
            script.get_revision(current)
        except (CommandError, RevisionError) as exc:
            raise UpgradeError(
                f"The database is at schema revision {current!r}, which this Kontor does not know: "
                "it was written by a newer version. Install that version (or newer) instead."
            ) from exc
    return current, script.get_current_head()


def pre_upgrade_backup(settings: Settings, head: str | None) -> Path:
    from app.ops.backup import create_backup
    from app.ops.schedule import backup_dir

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir(settings) / f"kontor-{stamp}-before-{head}.tar.gz"
    create_backup(settings, target)
    return target
