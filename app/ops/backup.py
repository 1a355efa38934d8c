"""`kontor backup` / `kontor restore`: everything an installation needs, in one verifiable archive.

The archive holds the database (with the originals, which live in it), the queue's pending tasks,
the settings without secrets, the trained models (`data_dir/models`) and a manifest with a SHA-256
per file. Restore refuses a target that already holds data unless forced.
"""

from __future__ import annotations

import base64
import json
import logging
import shutil
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.config import Settings
from app.models import utcnow
from app.ops.archive import extract_archive, write_archive
from app.ops.dump import database_is_empty, dialect_of, dump_database, dump_name, restore_database
from app.ops.errors import BackupError, RestoreRefusedError
from app.ops.models import OpsKind
from app.ops.runs import record_run

log = logging.getLogger(__name__)

QUEUE_NAME = "queue/pending.json"
SETTINGS_NAME = "settings.json"
MODELS_DIR = "models"
SECRET_WORDS = ("password", "api_key", "token", "secret")


def create_backup(settings: Settings, out: Path) -> dict[str, Any]:
    """Write the archive `out` and record the run; returns the manifest."""
    started = utcnow()
    url = settings.resolved_database_url
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".kontor-backup-") as tmp:
            staging = Path(tmp)
            facts = dump_database(url, staging / dump_name(url))
            queue = _export_queue(settings, staging / QUEUE_NAME)
            (staging / SETTINGS_NAME).write_text(json.dumps(public_settings(settings), indent=2))
            models = settings.data_dir / MODELS_DIR
            if models.is_dir():
                shutil.copytree(models, staging / MODELS_DIR)
            manifest = write_archive(staging, out, _header(url, facts, queue))
    except BackupError as exc:
        record_run(settings, OpsKind.BACKUP, ok=False, summary={"error": exc.message}, started_at=started)
        raise
    summary = {"path": str(out), "bytes": out.stat().st_size, "documents": manifest["documents"]}
    record_run(settings, OpsKind.BACKUP, ok=True, summary=summary, started_at=started)
    return manifest


def _header(url: str, facts: dict[str, object], queue: dict[str, Any]) -> dict[str, Any]:
    return {
        "created_at": datetime.now(UTC).isoformat(),
        "kontor_version": _kontor_version(),
        "database": dialect_of(url),
        **facts,
        "queue": queue,
    }


def _kontor_version() -> str:
    try:
        return version("kontor")
    except PackageNotFoundError:  # run from a source checkout that is not installed
        return "unknown"


def restore_backup(settings: Settings, archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore `archive` into the configured database and data dir; returns its manifest."""
    url = settings.resolved_database_url
    models = settings.data_dir / MODELS_DIR
    _refuse_non_empty(url, models, force=force)
    with tempfile.TemporaryDirectory(prefix="kontor-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = extract_archive(archive, unpacked)
        if manifest["database"] != dialect_of(url):
            raise BackupError(
                f"the archive holds a {manifest['database']} database; the target is {dialect_of(url)}"
            )
        restore_database(unpacked / dump_name(url), url, force=force)
        _import_queue(settings, unpacked / QUEUE_NAME)
        if (unpacked / MODELS_DIR).is_dir():
            shutil.rmtree(models, ignore_errors=True)
            shutil.copytree(unpacked / MODELS_DIR, models)
    return manifest


def _refuse_non_empty(url: str, models: Path, *, force: bool) -> None:
    if force:
        return
    if not database_is_empty(url):
        shown = make_url(url).render_as_string(hide_password=True)
        raise RestoreRefusedError(f"the database is not empty ({shown}); use --force to replace it")
    if models.is_dir() and any(models.iterdir()):
        raise RestoreRefusedError(f"{models} is not empty; use --force to replace it")


def _export_queue(settings: Settings, target: Path) -> dict[str, Any]:
    """The queue's pending tasks; an unreachable queue is noted, not fatal (the sweep re-queues)."""
    from app.worker import create_huey

    try:
        items = create_huey(settings).storage.enqueued_items()
    except Exception as exc:
        log.warning("backup without the queue's pending tasks: %s", exc)
        return {"pending": None, "error": f"{type(exc).__name__}: {exc}"}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([base64.b64encode(item).decode() for item in items]))
    return {"pending": len(items)}


def _import_queue(settings: Settings, source: Path) -> None:
    from app.worker import create_huey

    if not source.exists():
        return
    storage = create_huey(settings).storage
    for item in json.loads(source.read_text()):
        storage.enqueue(base64.b64decode(item))


def public_settings(settings: Settings) -> dict[str, Any]:
    """The settings as JSON, with passwords, keys and tokens (also those inside URLs) removed."""
    redacted: dict[str, Any] = _redact(settings.model_dump(mode="json"))
    return redacted


def _redact(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, key) for v in value]
    if value is not None and any(word in key.lower() for word in SECRET_WORDS):
        return "***"
    if isinstance(value, str) and "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return value
