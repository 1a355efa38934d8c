"""The built-in schedule: a cron expression, checked by Huey's scheduler once a minute."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from croniter import croniter

from app.config import Settings
from app.errors import KontorError
from app.mail.lock import MailRunLockedError
from app.mail.run import Enqueue, ingest_mail

log = logging.getLogger(__name__)


def cron_matcher(expression: str, *, utc: bool) -> Callable[[datetime], bool]:
    """A Huey periodic-task validator for `expression` in the machine's local time.

    Huey passes naive UTC times when it runs with `utc=True` (its default), naive local ones otherwise.
    """

    def matches(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None) if utc else moment
        return bool(croniter.match(expression, local))

    return matches


def scheduled_run(settings: Settings, enqueue: Enqueue) -> str:
    """The periodic task's body: a run that steps aside when another one holds the lock."""
    try:
        summary = ingest_mail(settings, enqueue=enqueue)
    except MailRunLockedError as exc:
        log.info("scheduled mail run skipped: %s", exc.message)
        return "locked"
    except KontorError as exc:
        log.error("scheduled mail run failed: %s", exc.message)
        return "failed"
    log.info(
        "scheduled mail run: %d seen, %d documents created, %d duplicates, %d skipped, %d failed",
        summary.seen,
        summary.created,
        summary.duplicates,
        summary.skipped,
        summary.failed,
    )
    return "done"
