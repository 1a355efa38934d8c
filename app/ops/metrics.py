"""Prometheus metrics, read from the database at scrape time.

Everything is computed from shared state (database, queue), so one scrape of any API process sees
the whole installation, however many workers it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.mail.models import MailMessage
from app.models import Document, Status, StepResult, utcnow
from app.ops.health import oldest_waiting
from app.ops.models import OpsKind, OpsRun
from app.ops.runs import latest_run


class KontorCollector(Collector):
    def __init__(self, factory: sessionmaker[Session], queue: Any) -> None:
        self.factory = factory
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        with self.factory() as session:
            now = utcnow()
            yield _documents(session)
            yield from _steps(session)
            yield from _waiting(session, now)
            yield from _review(session, now)
            yield _mail(session)
            yield from _mail_runs(session, now)
            yield from _operations(session, now)
        yield _queue(self.queue)


def _age(now: datetime, then: datetime | None) -> float:
    return (now - then).total_seconds() if then is not None else 0.0


def _documents(session: Session) -> Metric:
    metric = GaugeMetricFamily("kontor_documents", "Documents by status.", labels=["status"])
    counts = dict(session.execute(select(Document.status, func.count()).group_by(Document.status)).all())
    for status in Status:
        metric.add_metric([status.value], counts.get(status, 0))
    return metric


def _steps(session: Session) -> Iterator[Metric]:
    seconds = SummaryMetricFamily(
        "kontor_step_seconds",
        "Processing seconds per pipeline step (latest run per document).",
        labels=["step"],
    )
    questions = SummaryMetricFamily(
        "kontor_model_questions", "Questions put to the model per step output.", labels=["step"]
    )
    rows = session.execute(
        select(
            StepResult.step,
            func.count(StepResult.seconds),
            func.coalesce(func.sum(StepResult.seconds), 0.0),
            func.count(StepResult.model_questions),
            func.coalesce(func.sum(StepResult.model_questions), 0),
        ).group_by(StepResult.step)
    ).all()
    for step, timed, total, asked, answered in rows:
        seconds.add_metric([step], timed, float(total or 0))
        questions.add_metric([step], asked, float(answered or 0))
    yield seconds
    yield questions


def _waiting(session: Session, now: datetime) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "kontor_pipeline_oldest_seconds",
        "Age of the oldest document waiting for or in the pipeline (received/processing).",
        value=_age(now, oldest_waiting(session)),
    )


def _review(session: Session, now: datetime) -> Iterator[Metric]:
    waiting = Document.status == Status.NEEDS_REVIEW
    size, oldest = session.execute(
        select(func.count(Document.id), func.min(Document.status_updated_at)).where(waiting)
    ).one()
    yield GaugeMetricFamily("kontor_review_queue_size", "Documents waiting for a person.", value=size)
    yield GaugeMetricFamily(
        "kontor_review_queue_oldest_seconds",
        "How long the oldest of them has waited.",
        value=_age(now, oldest),
    )


def _mail(session: Session) -> Metric:
    metric = GaugeMetricFamily(
        "kontor_mail_messages", "Mail ledger: messages by outcome.", labels=["outcome"]
    )
    for outcome, count in session.execute(
        select(MailMessage.outcome, func.count()).group_by(MailMessage.outcome)
    ).all():
        metric.add_metric([outcome.value], count)
    return metric


def _mail_runs(session: Session, now: datetime) -> Iterator[Metric]:
    runs = GaugeMetricFamily("kontor_mail_runs", "Mail runs recorded, by outcome.", labels=["ok"])
    query = select(OpsRun.ok, func.count()).where(OpsRun.kind == OpsKind.MAIL).group_by(OpsRun.ok)
    counts = dict(session.execute(query).all())
    for ok in (True, False):
        runs.add_metric([str(ok).lower()], counts.get(ok, 0))
    yield runs
    last = latest_run(session, OpsKind.MAIL)
    yield GaugeMetricFamily(
        "kontor_mail_last_run_age_seconds",
        "Seconds since the last mail run ended (-1: never).",
        value=_age(now, last.finished_at) if last else -1,
    )


def _operations(session: Session, now: datetime) -> Iterator[Metric]:
    backup = latest_run(session, OpsKind.BACKUP, ok=True)
    yield GaugeMetricFamily(
        "kontor_last_backup_age_seconds",
        "Seconds since the last successful backup (-1: never).",
        value=_age(now, backup.finished_at) if backup else -1,
    )
    integrity = latest_run(session, OpsKind.INTEGRITY)
    yield GaugeMetricFamily(
        "kontor_integrity_ok",
        "1 when the last integrity check passed, 0 when it failed, -1 before the first.",
        value=-1 if integrity is None else int(integrity.ok),
    )


def _queue(queue: Any) -> Metric:
    return GaugeMetricFamily(
        "kontor_queue_depth", "Tasks waiting in the queue.", value=queue.huey.pending_count()
    )
