from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from huey import MemoryHuey
from sqlalchemy import update

from app.config import Settings
from app.db import get_engine, get_sessionmaker, session_scope
from app.main import create_app
from app.models import Document, utcnow
from app.ops.models import OpsKind
from app.ops.runs import record_run
from app.worker import create_queue
from tests.conftest import make_settings
from tests.factories import create_document


def ready(settings: Settings) -> dict[str, object]:
    app = create_app(settings, queue=create_queue(settings, MemoryHuey("health-test", immediate=False)))
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_a_stuck_pipeline_and_a_missing_backup_make_readyz_degraded(
    tmp_path: Path, live_database_url: str
) -> None:
    settings = make_settings(
        tmp_path, live_database_url, backup={"schedule": "0 1 * * *", "max_age_hours": 24}
    )
    assert ready(settings)["checks"] == {
        "database": "ok",
        "queue": "ok",
        "pipeline": "ok",
        "backup": "degraded: no backup yet",
        "integrity": "ok",
    }
    record_run(settings, OpsKind.BACKUP, ok=True, summary={}, started_at=utcnow())
    assert ready(settings)["status"] == "ok"

    with session_scope(get_sessionmaker(live_database_url)) as session:
        document_id = create_document(session).id
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    with get_engine(live_database_url).begin() as conn:
        conn.execute(
            update(Document).where(Document.id == document_id).values(status_updated_at=two_hours_ago)
        )
    body = ready(settings)
    assert body["status"] == "degraded"
    assert str(body["checks"]["pipeline"]).startswith("degraded: a document has waited 72")  # type: ignore[index]
