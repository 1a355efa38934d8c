"""Degraded states for `/readyz`: a stuck queue, an old backup, a failed integrity check.

Each check answers `ok`, `off` (not configured) or `degraded: <why>`; a degraded appliance still
serves, so `/readyz` stays 200 and says `degraded` (503 is for an unreachable database or queue).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Document, Status, utcnow
from app.ops.models import OpsKind
from app.ops.runs import latest_run

WAITING = (Status.RECEIVED, Status.PROCESSING)


def oldest_waiting(session: Session) -> datetime | None:
    """When the document that has waited longest for the pipeline started waiting."""
    return session.scalar(select(func.min(Document.status_updated_at)).where(Document.status.in_(WAITING)))


def degraded_checks(session: Session, settings: Settings) -> dict[str, str]:
    now = utcnow()
    return {
        "pipeline": _pipeline(session, settings, now),
        "backup": _backup(session, settings, now),
        "integrity": _integrity(session),
    }


def _pipeline(session: Session, settings: Settings, now: datetime) -> str:
    oldest = oldest_waiting(session)
    limit = timedelta(seconds=settings.monitoring.queue_stuck_seconds)
    if oldest is not None and now - oldest > limit:
        return f"degraded: a document has waited {int((now - oldest).total_seconds())} s"
    return "ok"


def _backup(session: Session, settings: Settings, now: datetime) -> str:
    if not settings.backup.schedule:
        return "off"
    last = latest_run(session, OpsKind.BACKUP, ok=True)
    if last is None:
        return "degraded: no backup yet"
    if now - last.finished_at > timedelta(hours=settings.backup.max_age_hours):
        return f"degraded: the last backup is from {last.finished_at.isoformat(timespec='seconds')}"
    return "ok"


def _integrity(session: Session) -> str:
    last = latest_run(session, OpsKind.INTEGRITY)
    if last is None:
        return "ok"  # never checked yet: nothing known to be wrong
    if not last.ok:
        problems = last.summary.get("problems", [])
        first = problems[0] if problems else "see `kontor check-integrity`"
        return f"degraded: integrity check failed ({len(problems)} problems; {first})"
    return "ok"
