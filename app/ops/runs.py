"""The record of backups, integrity checks and purges (`ops_runs`), read by `/readyz` and `/metrics`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import get_engine, get_sessionmaker, session_scope
from app.models import utcnow
from app.ops.models import OpsKind, OpsRun


def record_run(
    settings: Settings, kind: OpsKind, *, ok: bool, summary: dict[str, Any], started_at: datetime
) -> None:
    """In a transaction of its own, so a failed run is recorded even when its work rolled back.

    A database of an older schema (the backup before an upgrade) has no `ops_runs` yet: nothing to record.
    """
    url = settings.resolved_database_url
    with get_engine(url).connect() as conn:
        if not inspect(conn).has_table(OpsRun.__tablename__):
            return
    with session_scope(get_sessionmaker(url)) as session:
        session.add(OpsRun(kind=kind, ok=ok, summary=summary, started_at=started_at, finished_at=utcnow()))


def latest_run(session: Session, kind: OpsKind, *, ok: bool | None = None) -> OpsRun | None:
    query = select(OpsRun).where(OpsRun.kind == kind)
    if ok is not None:
        query = query.where(OpsRun.ok == ok)
    return session.scalars(query.order_by(OpsRun.id.desc()).limit(1)).first()
