"""The queue: Huey with SQLite storage in one process, or Redis storage for many workers.

Tasks take a document id, reload it and return early when the work is done, so a task that runs
twice (a retry, a recovered crash, two sweeps) does no harm.

Periodic tasks (the recovery sweep, mail ingest) do not wait in the document queue: the consumer's
scheduler runs each on a thread of its own (`MaintenanceScheduler`), so a worker busy with a slow
document never starves them. A run still going when the next is due is skipped, not doubled.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer, Scheduler
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import get_engine, get_sessionmaker, session_scope
from app.models import Document, Status, utcnow
from app.pipeline.orchestrator import Pipeline, give_up_if_exhausted
from app.runtime import build_pipeline
from app.scans.archive import store_archive_copy

log = logging.getLogger(__name__)

RETRIES = 2


@dataclass
class Queue:
    """The Huey instance and the tasks registered on it."""

    huey: Huey
    process_document: Any  # huey TaskWrapper: calling it enqueues
    sweep: Any


def create_huey(settings: Settings) -> Huey:
    if settings.uses_redis:
        return RedisHuey(settings.queue_name, url=settings.queue_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(settings.data_dir / "queue.db"))


def _archive_copy(pipeline: Pipeline, document_id: int, settings: Settings) -> None:
    # The searchable copy is an extra: when it cannot be made, the document itself is still done.
    try:
        store_archive_copy(pipeline.factory, document_id, settings)
    except Exception:
        log.exception("document %s: the searchable archive copy was not made", document_id)


def create_queue(settings: Settings, huey: Huey | None = None) -> Queue:
    """Register Kontor's tasks on a Huey instance built from the settings."""
    huey = huey or create_huey(settings)
    pipelines: dict[str, Pipeline] = {}

    def pipeline() -> Pipeline:
        # Built on first use in the consumer, so that a producer never loads a model.
        if "p" not in pipelines:
            pipelines["p"] = build_pipeline(settings)
        return pipelines["p"]

    @huey.task(retries=RETRIES, retry_delay=5, context=True, name="process_document")  # type: ignore[untyped-decorator]
    def process_document(document_id: int, task: Any = None) -> str | None:
        try:
            status = pipeline().process(document_id)
        except Exception as exc:
            if task is None or task.retries == 0:
                pipeline().mark_failed(document_id, f"{type(exc).__name__}: {exc}")
            raise
        _archive_copy(pipeline(), document_id, settings)
        return status.value if status else None

    @huey.periodic_task(crontab(minute="*"), name="sweep_documents")  # type: ignore[untyped-decorator]
    def sweep() -> int:
        return requeue_stale(settings, process_document)

    if settings.mail.sources and settings.mail.schedule:
        from app.mail.schedule import cron_matcher, scheduled_run

        # Every consumer (serve, each worker) schedules it; the run's database lock lets one through.
        @huey.periodic_task(cron_matcher(settings.mail.schedule, utc=huey.utc), name="ingest_mail")  # type: ignore[untyped-decorator]
        def ingest_mail() -> str:
            return scheduled_run(settings, process_document)

    from app.ops.schedule import register_ops_tasks

    register_ops_tasks(huey, settings)
    from app.learning.schedule import register_learning_tasks

    register_learning_tasks(huey, settings)
    _notifications(huey, settings)
    return Queue(huey=huey, process_document=process_document, sweep=sweep)


def _notifications(huey: Huey, settings: Settings) -> None:
    """The status webhook for this process's database, and the daily e-mail when it is scheduled."""
    notify = settings.notify
    if not (notify.webhook_url or (notify.daily_schedule and notify.daily_to)):
        return  # nothing configured: app.notify (and its session listeners) stays unloaded
    from app.notify import configure_webhook, send_daily

    if notify.webhook_url:
        configure_webhook(get_engine(settings.resolved_database_url), notify)
    schedule = notify.daily_schedule
    if schedule and notify.daily_to:
        from app.mail.schedule import cron_matcher

        @huey.periodic_task(cron_matcher(schedule, utc=huey.utc), name="notify_daily")  # type: ignore[untyped-decorator]
        def notify_daily() -> bool:
            return send_daily(get_sessionmaker(settings.resolved_database_url), notify)


def requeue_stale(settings: Settings, enqueue: Any) -> int:
    """Queue documents that were received but never queued, or left in `processing` by a crash.

    A document out of attempts goes to `failed` here instead of being queued again.
    """
    factory = get_sessionmaker(settings.resolved_database_url)
    now = utcnow()
    stale = now - timedelta(seconds=settings.stale_after_seconds)
    unqueued = now - timedelta(seconds=60)
    with session_scope(factory) as session:
        documents = session.scalars(
            select(Document).where(
                or_(
                    (Document.status == Status.PROCESSING) & (Document.status_updated_at < stale),
                    (Document.status == Status.RECEIVED) & (Document.received_at < unqueued),
                )
            )
        ).all()
        ids = _still_worth_trying(session, documents, settings.limits.max_attempts)
    for document_id in ids:
        log.info("queueing document %s again (stale)", document_id)
        enqueue(document_id)
    return len(ids)


def recover_on_start(settings: Settings, queue: Queue) -> int:
    """At the start of a single-process appliance every `processing` document was orphaned."""
    if settings.uses_redis:
        # Other workers may be busy with them; the periodic sweep handles stale ones.
        return requeue_stale(settings, queue.process_document)
    factory = get_sessionmaker(settings.resolved_database_url)
    with session_scope(factory) as session:
        documents = session.scalars(
            select(Document).where(Document.status.in_([Status.PROCESSING, Status.RECEIVED]))
        ).all()
        ids = _still_worth_trying(session, documents, settings.limits.max_attempts)
    for document_id in ids:
        queue.process_document(document_id)
    return len(ids)


def _still_worth_trying(session: Session, documents: Sequence[Document], max_attempts: int) -> list[int]:
    """The ids to queue again; documents out of attempts are failed on the spot."""
    return [d.id for d in documents if not give_up_if_exhausted(session, d, max_attempts)]


class MaintenanceScheduler(Scheduler):  # type: ignore[misc]
    """Huey's scheduler, except that periodic tasks run on their own threads instead of the queue."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._running: dict[str, threading.Thread] = {}

    def enqueue_periodic_tasks(self, now: Any) -> None:
        for task in self.huey.read_periodic(now):
            running = self._running.get(task.name)
            if running is not None and running.is_alive():
                log.info("periodic task %s is still running; this run is skipped", task.name)
                continue
            thread = threading.Thread(
                target=self._execute, args=(task,), name=f"kontor-{task.name}", daemon=True
            )
            self._running[task.name] = thread
            thread.start()

    def _execute(self, task: Any) -> None:
        try:
            self.huey.execute(task)
        except Exception:
            log.exception("periodic task %s failed", task.name)


class KontorConsumer(Consumer):  # type: ignore[misc]
    scheduler_class = MaintenanceScheduler


def create_consumer(queue: Queue, settings: Settings) -> Any:
    """The consumer of `kontor worker`: document threads plus the maintenance scheduler."""
    prestart_reader(settings)
    return KontorConsumer(queue.huey, workers=settings.workers, worker_type="thread", periodic=True)


def prestart_reader(settings: Settings) -> None:
    """Spawn the sandboxed reader while the consumer starts, not when the first document waits."""
    from agents.reading.pdf import read_job
    from app.pipeline.sandbox import shared_sandbox
    from app.pipeline.steps.read import sandbox_limits

    shared_sandbox(sandbox_limits(settings.sandbox)).prestart(read_job)


def embedded_consumer(queue: Queue, settings: Settings) -> Any:
    """A consumer whose threads run inside `kontor serve`, leaving signal handling to uvicorn."""

    class EmbeddedConsumer(KontorConsumer):
        def _set_signal_handlers(self) -> None:
            pass

    prestart_reader(settings)
    return EmbeddedConsumer(
        queue.huey, workers=settings.workers, worker_type="thread", periodic=True, initial_delay=0.2
    )
