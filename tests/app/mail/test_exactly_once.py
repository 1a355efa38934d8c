"""Nothing lost, nothing twice: reruns, retries, overlapping runs and a crash between commit and move."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.mail.lock import MailRunLockedError, hold
from app.mail.models import MailMessage, MailRunLock, Outcome
from app.mail.run import CRASH_EXIT_STATUS, LOCK_NAME, ingest_mail
from app.models import utcnow
from app.ops.models import OpsKind, OpsRun
from tests.app.mail.conftest import SeededMailbox, documents, ledger, mail_settings
from tests.app.mail.messages import attach_pdf, mail, unique_pdf
from tests.corpus import REPO_ROOT


def test_a_rerun_creates_no_duplicates(mailbox: SeededMailbox, settings_for: Settings) -> None:
    for _ in range(3):
        mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    first = ingest_mail(settings_for)

    second = ingest_mail(settings_for)

    assert (first.seen, first.created) == (3, 3)
    assert (second.seen, second.created) == (0, 0)
    assert len(documents(settings_for.resolved_database_url)) == 3
    assert len(ledger(settings_for.resolved_database_url)) == 3
    with session_scope(get_sessionmaker(settings_for.resolved_database_url)) as session:
        runs = session.scalars(select(OpsRun.summary).where(OpsRun.kind == OpsKind.MAIL).order_by(OpsRun.id))
        assert [run["created"] for run in runs] == [3, 0]  # each run is recorded for the metrics


def test_a_message_delivered_again_is_only_moved(mailbox: SeededMailbox, settings_for: Settings) -> None:
    raw = attach_pdf(mail(), unique_pdf()).as_bytes()
    mailbox.deliver(raw)
    ingest_mail(settings_for)
    mailbox.deliver(raw)  # the same Message-ID, e.g. copied back into the inbox by a person

    summary = ingest_mail(settings_for)

    assert (summary.seen, summary.created, summary.duplicates) == (1, 0, 1)
    assert len(documents(settings_for.resolved_database_url)) == 1
    assert (mailbox.waiting(), mailbox.processed()) == (0, 2)


def test_the_same_invoice_in_another_message_is_a_duplicate(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    pdf = unique_pdf()
    mailbox.deliver(attach_pdf(mail(), pdf).as_bytes())
    mailbox.deliver(attach_pdf(mail(subject="Erinnerung"), pdf).as_bytes())

    summary = ingest_mail(settings_for)

    first, reminder = ledger(settings_for.resolved_database_url)
    assert (first.outcome, reminder.outcome) == (Outcome.INGESTED, Outcome.DUPLICATE)
    assert first.document_ids == reminder.document_ids
    assert (summary.created, summary.duplicates) == (1, 1)


def test_a_message_without_message_id_is_keyed_by_its_hash(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    raw = attach_pdf(mail(message_id=None), unique_pdf()).as_bytes()
    mailbox.deliver(raw)
    ingest_mail(settings_for)
    mailbox.deliver(raw)

    ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert row.message_key.startswith("sha256:")
    assert len(documents(settings_for.resolved_database_url)) == 1


def _seed_failure(settings: Settings, source: str, key: str, attempts: int) -> None:
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        session.add(
            MailMessage(
                source=source, message_key=key, outcome=Outcome.FAILED, attempts=attempts, reason="boom"
            )
        )


def test_a_failed_message_is_retried_on_the_next_run(mailbox: SeededMailbox, settings_for: Settings) -> None:
    mailbox.deliver(attach_pdf(mail(message_id="<retry@muster.example>"), unique_pdf()).as_bytes())
    _seed_failure(settings_for, mailbox.source().name, "<retry@muster.example>", attempts=1)

    summary = ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert (row.outcome, row.attempts, summary.created) == (Outcome.INGESTED, 2, 1)
    assert row.reason is None
    assert mailbox.waiting() == 0


def test_a_message_out_of_attempts_is_left_for_a_person(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    mailbox.deliver(attach_pdf(mail(message_id="<broken@muster.example>"), unique_pdf()).as_bytes())
    limit = settings_for.mail.retry_limit
    _seed_failure(settings_for, mailbox.source().name, "<broken@muster.example>", attempts=limit)

    summary = ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert (row.outcome, row.attempts, row.reason) == (Outcome.FAILED, limit, "boom")
    assert (summary.seen, summary.skipped, summary.created) == (1, 1, 0)
    assert (mailbox.waiting(), mailbox.processed()) == (1, 0)


def test_two_concurrent_runs_one_refuses(mailbox: SeededMailbox, settings_for: Settings) -> None:
    for _ in range(2):
        mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    inside = threading.Event()
    refused = threading.Event()

    def hold_on(_source: str, _done: int, _total: int) -> None:
        # The first run, holding the lock, pauses until the second has tried and refused.
        inside.set()
        refused.wait(timeout=30)

    first = threading.Thread(target=ingest_mail, args=(settings_for,), kwargs={"progress": hold_on})
    first.start()
    try:
        assert inside.wait(timeout=30)
        with pytest.raises(MailRunLockedError, match="Another mail run is in progress"):
            ingest_mail(settings_for)
    finally:
        refused.set()
        first.join(timeout=60)

    assert len(documents(settings_for.resolved_database_url)) == 2
    assert ingest_mail(settings_for).seen == 0  # the lock was released


def test_a_lock_left_by_a_dead_run_on_another_machine_expires(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    with session_scope(get_sessionmaker(settings_for.resolved_database_url)) as session:
        long_ago = utcnow() - timedelta(hours=3)
        session.add(
            MailRunLock(name=LOCK_NAME, holder="elsewhere:4242:x", acquired_at=long_ago, expires_at=long_ago)
        )

    assert ingest_mail(settings_for).created == 1


def _cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest-mail"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _env(tmp_path: Path, database_url: str, mailbox: SeededMailbox) -> dict[str, str]:
    source = json.loads(mailbox.source().model_dump_json())
    source["password"] = mailbox.source().secret() or None
    return {
        "KONTOR_DATABASE_URL": database_url,
        "KONTOR_DATA_DIR": str(tmp_path),
        "KONTOR_ENVIRONMENT": "test",
        "KONTOR_MODEL__BACKEND": "fake",
        "KONTOR_MAIL_SOURCES": json.dumps([source]),
    }


def test_a_crash_between_commit_and_move_is_finished_by_the_next_run(
    tmp_path: Path, live_database_url: str, mailbox: SeededMailbox
) -> None:
    mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    env = _env(tmp_path, live_database_url, mailbox)

    crashed = _cli({**env, "KONTOR_MAIL__CRASH_AFTER_COMMIT": "1"})

    assert crashed.returncode == CRASH_EXIT_STATUS, crashed.stderr
    [row] = ledger(live_database_url)
    assert (row.outcome, row.settled_at) == (Outcome.INGESTED, None)
    assert (mailbox.waiting(), mailbox.processed()) == (1, 0)
    assert _locks(live_database_url) == 1  # the dead run's lock, taken over below

    rerun = _cli(env)

    assert rerun.returncode == 0, rerun.stderr
    [row] = ledger(live_database_url)
    assert row.settled_at is not None
    assert len(documents(live_database_url)) == 1
    assert (mailbox.waiting(), mailbox.processed()) == (0, 1)
    assert "duplicates" in rerun.stderr
    assert _locks(live_database_url) == 0


def _locks(database_url: str) -> int:
    with session_scope(get_sessionmaker(database_url)) as session:
        return len(session.scalars(select(MailRunLock)).all())


def test_an_overlapping_cli_run_exits_with_a_clear_message(
    tmp_path: Path, live_database_url: str, mailbox: SeededMailbox
) -> None:
    mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    settings = mail_settings(tmp_path, live_database_url, [mailbox.source()])
    factory = get_sessionmaker(settings.resolved_database_url)

    with hold(factory, LOCK_NAME, ttl=timedelta(minutes=5)):
        result = _cli(_env(tmp_path, live_database_url, mailbox))

    assert result.returncode == 75
    assert "Another mail run is in progress" in result.stderr
    assert mailbox.waiting() == 1
    assert ledger(live_database_url) == []
