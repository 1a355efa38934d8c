"""A mail run: every configured source, every waiting message, exactly once.

Per message the order is what makes a crash harmless: claim it in the ledger (commit), ingest its
documents and record the outcome (commit), and only then move or flag it on the server. A run that
dies before the second commit leaves a claim that the next run processes again; one that dies
after it leaves a settled ledger row, and the next run only moves the message.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.errors import NotFoundError
from app.mail import ledger
from app.mail.config import MailSource
from app.mail.headers import message_key
from app.mail.ledger import Decision, Handled
from app.mail.lock import Lease, LockLostError, hold
from app.mail.message import handle_message
from app.mail.models import SETTLED, MailMessage, Outcome
from app.mail.sources import Envelope, Mailbox, open_mailbox
from app.models import utcnow
from app.ops.models import OpsKind
from app.ops.runs import record_run

log = logging.getLogger(__name__)

LOCK_NAME = "mail"
#: Exit status of the crash test hook, as if the process had been killed with SIGKILL.
CRASH_EXIT_STATUS = 137

Enqueue = Callable[[int], object]
Progress = Callable[[str, int, int], None]


@dataclass
class Summary:
    seen: int = 0
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    failed: int = 0
    document_ids: list[int] = field(default_factory=list)
    #: Sources that could not be read to the end, with the reason.
    errors: list[str] = field(default_factory=list)


def ingest_mail(
    settings: Settings,
    *,
    source: str | None = None,
    enqueue: Enqueue | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Read every configured source (or the one named); raises `MailRunLockedError` while another
    run, in any process, holds the lock."""
    sources = select_sources(settings, source)
    factory = get_sessionmaker(settings.resolved_database_url)
    summary = Summary()
    ttl = timedelta(seconds=settings.mail.lock_ttl_seconds)
    started = utcnow()
    with hold(factory, LOCK_NAME, ttl=ttl) as lease:
        for mail_source in sources:
            run = SourceRun(settings, mail_source, factory, lease, summary, enqueue, progress)
            run.run()
    counts = {"seen": summary.seen, "created": summary.created, "failed": summary.failed}
    record_run(settings, OpsKind.MAIL, ok=not summary.errors, summary=counts, started_at=started)
    return summary


def select_sources(settings: Settings, name: str | None) -> list[MailSource]:
    sources = settings.mail.sources
    if name is None:
        return list(sources)
    chosen = [s for s in sources if s.name == name]
    if not chosen:
        known = ", ".join(s.name for s in sources) or "none configured"
        raise NotFoundError(f"No mail source named {name!r} ({known}).")
    return chosen


@dataclass
class SourceRun:
    settings: Settings
    source: MailSource
    factory: sessionmaker[Session]
    lease: Lease
    summary: Summary
    enqueue: Enqueue | None
    progress: Progress | None

    def run(self) -> None:
        try:
            with open_mailbox(self.source) as mailbox:
                envelopes = mailbox.pending()
                log.info("mail source %s: %d messages waiting", self.source.name, len(envelopes))
                self.report(0, len(envelopes))
                for index, envelope in enumerate(envelopes, start=1):
                    self.summary.seen += 1
                    self.one(mailbox, envelope)
                    self.lease.renew()
                    self.report(index, len(envelopes))
        except LockLostError:
            raise
        except Exception as exc:
            # One unreachable or misbehaving source must not keep the others from being read.
            log.warning("mail source %s: %s", self.source.name, exc)
            self.summary.errors.append(f"{self.source.name}: {exc}")

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(self.source.name, done, total)

    def one(self, mailbox: Mailbox, envelope: Envelope) -> None:
        raw = None if envelope.message_id else mailbox.fetch(envelope.ref)
        key = message_key(envelope.message_id, raw)
        decision = self.decide(key)
        if decision == Decision.LEAVE:
            self.summary.skipped += 1
        elif decision == Decision.SETTLE:
            self.summary.duplicates += 1
            self.settle(mailbox, envelope, key)
        elif envelope.size > self.settings.mail.max_message_bytes:
            self.too_large(mailbox, envelope, key)
        else:
            self.process(mailbox, envelope, key, raw if raw is not None else mailbox.fetch(envelope.ref))

    def decide(self, key: str) -> Decision:
        with session_scope(self.factory) as session:
            row = ledger.find(session, self.source.name, key)
            decision = ledger.decide(row, retry_limit=self.settings.mail.retry_limit)
            if decision == Decision.LEAVE and row is not None:
                ledger.leave(row)
        return decision

    def process(self, mailbox: Mailbox, envelope: Envelope, key: str, raw: bytes) -> None:
        with session_scope(self.factory) as session:
            row_id = ledger.claim(session, self.source.name, key).id
        try:
            with session_scope(self.factory) as session:
                handled = handle_message(session, raw, source=self.source.name, settings=self.settings)
                ledger.record(session, _row(session, row_id), handled)
        except Exception as exc:
            log.exception("mail source %s: message %s failed", self.source.name, key)
            with session_scope(self.factory) as session:
                ledger.record_failure(session, row_id, f"{type(exc).__name__}: {exc}")
            self.summary.failed += 1
            return
        self.committed(handled)
        if handled.outcome in SETTLED:
            self.settle(mailbox, envelope, key)

    def too_large(self, mailbox: Mailbox, envelope: Envelope, key: str) -> None:
        # Recorded from the envelope alone: the message is never downloaded.
        limit = self.settings.mail.max_message_bytes
        handled = Handled(
            outcome=Outcome.TOO_LARGE,
            reason=f"the message has {envelope.size} bytes; the limit is {limit}",
            sender={"message_id": envelope.message_id},
        )
        with session_scope(self.factory) as session:
            ledger.record(session, ledger.claim(session, self.source.name, key), handled)
        self.committed(handled)
        self.settle(mailbox, envelope, key)

    def committed(self, handled: Handled) -> None:
        """Count the outcome and queue new documents, now that they are in the database."""
        if handled.outcome == Outcome.INGESTED:
            self.summary.created += len(handled.created)
            self.summary.document_ids += handled.created
        elif handled.outcome == Outcome.DUPLICATE:
            self.summary.duplicates += 1
        else:
            self.summary.skipped += 1
        for document_id in handled.created:
            if self.enqueue is not None:
                self.enqueue(document_id)
        if self.settings.mail.crash_after_commit:
            # Test hook (KONTOR_MAIL__CRASH_AFTER_COMMIT): die like a killed process, between the
            # commit and the move, skipping every cleanup (the lock row stays behind).
            os._exit(CRASH_EXIT_STATUS)

    def settle(self, mailbox: Mailbox, envelope: Envelope, key: str) -> None:
        mailbox.settle(envelope.ref)
        with session_scope(self.factory) as session:
            row = ledger.find(session, self.source.name, key)
            if row is not None:
                ledger.mark_settled(session, row.id)


def _row(session: Session, row_id: int) -> MailMessage:
    row = session.get(MailMessage, row_id)
    assert row is not None, "a claimed ledger row vanished"
    return row
