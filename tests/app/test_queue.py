"""Upload → processed through the real queue: Huey on SQLite in-process, and on Redis with `kontor worker`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.main import create_app
from app.models import Document, Role, Status, utcnow
from app.security import create_key
from tests.conftest import REDIS_URL, make_settings
from tests.corpus import REPO_ROOT
from tests.factories import create_document, text_pdf

FINAL = {"booked", "needs_review", "rejected", "failed"}


def admin_headers(settings: Settings) -> dict[str, str]:
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        _key, plaintext = create_key(session, role=Role.ADMIN)
    return {"Authorization": f"Bearer {plaintext}"}


def wait_for_final(
    client: TestClient, headers: dict[str, str], document_id: int, timeout: float = 60
) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/v1/documents/{document_id}", headers=headers).json()
        if body["status"] in FINAL:
            return body  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} not processed within {timeout}s: {body}")


def test_upload_is_processed_by_the_embedded_consumer(tmp_path: Path, live_database_url: str) -> None:
    settings = make_settings(tmp_path, live_database_url)
    headers = admin_headers(settings)
    with TestClient(create_app(settings, run_consumer=True)) as client:
        created = client.post(
            "/v1/documents", headers=headers, files={"file": ("a.pdf", text_pdf("Queue test"))}
        )
        assert created.status_code == 201
        body = wait_for_final(client, headers, created.json()["id"])
    assert body["status"] == "needs_review"
    steps = [r["step"] for r in body["results"]]
    assert steps[:3] == ["read", "extract", "validate"]  # a plain PDF: no e-invoice, no cross-check
    assert body["results"][0]["data"]["page_count"] == 1
    assert body["invoice"] is not None
    assert body["top_reason"]


def test_a_half_processed_document_is_recovered_on_restart(tmp_path: Path, live_database_url: str) -> None:
    settings = make_settings(tmp_path, live_database_url)
    headers = admin_headers(settings)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        # The state a worker killed in the middle of a step leaves behind.
        document = create_document(session, data=text_pdf("crashed"), status=Status.PROCESSING)
        document.status_updated_at = utcnow() - timedelta(minutes=1)
        document_id = document.id
    with TestClient(create_app(settings, run_consumer=True)) as client:
        body = wait_for_final(client, headers, document_id)
    assert body["status"] == "needs_review"


@pytest.fixture
def redis_settings(tmp_path: Path, live_database_url: str) -> Settings:
    return make_settings(
        tmp_path, live_database_url, queue_url=REDIS_URL, queue_name=f"kontor-test-{uuid.uuid4().hex[:8]}"
    )


@pytest.fixture
def worker_process(redis_settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "KONTOR_DATABASE_URL": redis_settings.resolved_database_url,
        "KONTOR_QUEUE_URL": str(redis_settings.queue_url),
        "KONTOR_QUEUE_NAME": redis_settings.queue_name,
        "KONTOR_DATA_DIR": str(redis_settings.data_dir),
        "KONTOR_ENVIRONMENT": "test",
        "KONTOR_MODEL__BACKEND": "fake",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"], cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE
    )
    yield process
    process.terminate()
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()


def test_redis_queue_feeds_a_separate_worker_process(
    redis_settings: Settings, worker_process: subprocess.Popen[bytes]
) -> None:
    headers = admin_headers(redis_settings)
    app = create_app(redis_settings, run_consumer=False)
    app.state.queue.huey.flush()
    with TestClient(app) as client:
        created = client.post("/v1/documents", headers=headers, files={"file": ("r.pdf", text_pdf("Redis"))})
        assert created.status_code == 201
        body = wait_for_final(client, headers, created.json()["id"])
        ready = client.get("/readyz").json()
        assert ready["status"] == "ok"
        assert (ready["checks"]["database"], ready["checks"]["queue"]) == ("ok", "ok")
    assert body["status"] == "needs_review"
    with session_scope(get_sessionmaker(redis_settings.resolved_database_url)) as session:
        document = session.scalars(select(Document)).one()
        assert document.attempts == 1
    app.state.queue.huey.flush()
