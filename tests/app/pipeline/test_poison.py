"""Poison documents: each ends `failed` with a code within the limits, and never takes the worker along."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from huey import SqliteHuey, crontab
from sqlalchemy.orm import Session, sessionmaker

from agents.reading.pdf import TextCaps
from app.config import LimitsSettings, Settings
from app.db import get_sessionmaker, session_scope
from app.errors import FailureCode
from app.main import create_app
from app.models import Document, Status, utcnow
from app.pipeline.orchestrator import Pipeline
from app.pipeline.sandbox import SandboxLimits
from app.pipeline.steps.read import ReadStep
from app.worker import KontorConsumer, create_queue, recover_on_start, requeue_stale
from tests import hostile
from tests.app.test_queue import admin_headers, wait_for_final
from tests.conftest import make_settings
from tests.factories import create_document, text_pdf

#: Lets bombs past the pre-flight, to prove the sandbox stops them too.
PERMISSIVE = LimitsSettings(max_decoded_mb=100_000, max_image_mb=100_000, max_pages=100_000)
SMALL = {"memory_mb": 768, "timeout_seconds": 5}
TIMEOUT_SECONDS = 5


def small_read_step() -> ReadStep:
    return ReadStep(SandboxLimits(**SMALL), TextCaps(max_words=10_000, max_chars=100_000))


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        (lambda: hostile.decompression_bomb("content"), {"timeout", "resource_limit"}),
        (lambda: hostile.decompression_bomb("form"), {"timeout", "resource_limit"}),
        (lambda: hostile.text_bomb("one_string"), {"timeout", "resource_limit"}),
        (lambda: hostile.truncated("before_xref"), {"corrupt"}),
    ],
    ids=["bomb-content", "bomb-form", "text-bomb-one-string", "truncated-before-xref"],
)
def test_a_poison_pdf_fails_with_its_code(
    session: Session, session_factory: sessionmaker[Session], data: object, codes: set[str]
) -> None:
    document = create_document(session, data=data(), limits=PERMISSIVE)  # type: ignore[operator]
    assert Pipeline(session_factory, [small_read_step()]).process(document.id) == Status.FAILED
    session.refresh(document)
    assert document.failure_code in codes
    assert document.status_reason
    assert document.failure_message == FailureCode(document.failure_code).message


@pytest.mark.parametrize("variant", ["words", "tiny_grid"])
def test_a_text_bomb_is_read_to_the_caps_with_a_warning(
    session: Session, session_factory: sessionmaker[Session], variant: str
) -> None:
    document = create_document(session, data=hostile.text_bomb(variant))
    step = ReadStep(SandboxLimits(memory_mb=1536, timeout_seconds=60), TextCaps(10_000, 100_000))
    assert Pipeline(session_factory, [step]).process(document.id) == Status.NEEDS_REVIEW
    read = next(r for r in document.results if r.step == "read")
    assert [f["code"] for f in read.findings] == ["text.truncated"]
    assert len(read.data["pages"][0]["text"]) <= 100_000


def test_the_poison_fails_within_the_limit_while_a_later_upload_is_processed(
    tmp_path: Path, live_database_url: str
) -> None:
    settings = make_settings(tmp_path, live_database_url, sandbox=SMALL, limits=PERMISSIVE.model_dump())
    headers = admin_headers(settings)
    with session_scope(get_sessionmaker(live_database_url)) as session:
        poison_id = create_document(session, data=hostile.decompression_bomb("content"), limits=PERMISSIVE).id
    with TestClient(create_app(settings, run_consumer=True)) as client:
        # Warm the sandbox so that the clock below measures the poison, not a child starting.
        warm = client.post("/v1/documents", headers=headers, files={"file": ("w.pdf", text_pdf("warm"))})
        wait_for_final(client, headers, warm.json()["id"], timeout=120)
        started = time.monotonic()
        client.app.state.queue.process_document(poison_id)  # type: ignore[attr-defined]
        later = client.post("/v1/documents", headers=headers, files={"file": ("l.pdf", text_pdf("later"))})
        poison = wait_for_final(client, headers, poison_id, timeout=120)
        failed_after = time.monotonic() - started
        normal = wait_for_final(client, headers, later.json()["id"], timeout=120)
    assert poison["status"] == "failed"
    assert poison["failure_code"] in {"timeout", "resource_limit"}
    assert poison["failure_message"]
    assert failed_after < TIMEOUT_SECONDS + 20  # the limit plus the database round trips on a busy machine
    assert normal["status"] == "needs_review"


def make_orphan(session: Session, *, attempts: int) -> Document:
    """A document a worker died under: `processing`, long ago, claimed `attempts` times."""
    document = create_document(session, data=text_pdf(f"orphan {attempts}"), status=Status.PROCESSING)
    document.attempts = attempts
    document.status_updated_at = utcnow() - timedelta(hours=1)
    session.flush()
    return document


@pytest.mark.parametrize("recover", ["sweep", "restart"])
def test_a_document_out_of_attempts_is_failed_not_queued_again(
    tmp_path: Path, live_database_url: str, recover: str
) -> None:
    settings = make_settings(tmp_path, live_database_url, limits={"max_attempts": 2})
    with session_scope(get_sessionmaker(live_database_url)) as session:
        poison_id = make_orphan(session, attempts=2).id
        retry_id = make_orphan(session, attempts=1).id
    queued: list[int] = []
    if recover == "sweep":
        requeue_stale(settings, queued.append)
    else:
        queue = create_queue(settings)
        queue.process_document = queued.append
        recover_on_start(settings, queue)
    assert queued == [retry_id]
    with session_scope(get_sessionmaker(live_database_url)) as session:
        poison = session.get(Document, poison_id)
        assert poison is not None
        assert (poison.status, poison.failure_code) == (Status.FAILED, FailureCode.ATTEMPTS_EXHAUSTED)


def test_each_claim_counts_and_the_last_allowed_one_is_the_last(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = make_orphan(session, attempts=0)
    pipeline = Pipeline(session_factory, [], max_attempts=2)
    for expected in (1, 2):
        pipeline._claim(document.id)  # what a worker does before it dies under the document
        session.refresh(document)
        assert (document.status, document.attempts) == (Status.PROCESSING, expected)
    assert pipeline.process(document.id) is None
    session.refresh(document)
    assert (document.status, document.failure_code) == (Status.FAILED, FailureCode.ATTEMPTS_EXHAUSTED)


def test_periodic_tasks_do_not_wait_behind_a_busy_worker(tmp_path: Path, settings: Settings) -> None:
    huey = SqliteHuey("busy", filename=str(tmp_path / "queue.db"))
    release, swept = threading.Event(), threading.Event()

    @huey.task()  # type: ignore[untyped-decorator]
    def slow_document() -> None:
        release.wait(60)

    @huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
    def sweep() -> None:
        swept.set()

    slow_document()
    consumer = KontorConsumer(huey, workers=1, worker_type="thread", periodic=True, initial_delay=0.1)
    consumer.start()
    try:
        assert swept.wait(30), "the sweep waited behind the busy worker"
        assert not release.is_set()
    finally:
        release.set()
        consumer.stop(graceful=True)


def test_the_api_shows_the_code_and_a_reprocess_starts_a_fresh_count(
    client: TestClient, reviewer: dict[str, str], session: Session, session_factory: sessionmaker[Session]
) -> None:
    document = make_orphan(session, attempts=3)
    Pipeline(session_factory, [], max_attempts=3).process(document.id)
    shown = client.get(f"/v1/documents/{document.id}", headers=reviewer).json()
    assert (shown["status"], shown["failure_code"]) == ("failed", "attempts_exhausted")
    assert shown["failure_message"] == FailureCode.ATTEMPTS_EXHAUSTED.message
    assert shown["attempts"] == 3
    again = client.post(f"/v1/documents/{document.id}/reprocess", headers=reviewer).json()
    assert (again["status"], again["failure_code"], again["attempts"]) == ("processing", None, 0)
