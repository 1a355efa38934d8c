"""The nightly retrain (`KONTOR_LEARNING__SCHEDULE`): `kontor train` as a Huey periodic task.

Every consumer registers it; the database lock lets one run through. It runs the same `retrain` as the
command, with the same gate.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import Huey

from app.config import Settings
from app.db import get_sessionmaker
from app.learning.store import Manifest
from app.learning.train import retrain
from app.mail.lock import MailRunLockedError, hold
from app.mail.schedule import cron_matcher

log = logging.getLogger(__name__)

LOCK_NAME = "train"
LOCK_TTL = timedelta(hours=6)


def register_learning_tasks(huey: Huey, settings: Settings) -> None:
    if not settings.learning.schedule:
        return

    @huey.periodic_task(cron_matcher(settings.learning.schedule, utc=huey.utc), name="retrain")  # type: ignore[untyped-decorator]
    def nightly_retrain() -> bool | None:
        manifest = scheduled_retrain(settings)
        return None if manifest is None else manifest.accepted


def scheduled_retrain(settings: Settings) -> Manifest | None:
    """One retrain unless another process runs one now; None when it stepped aside."""
    factory = get_sessionmaker(settings.resolved_database_url)
    try:
        with hold(factory, LOCK_NAME, ttl=LOCK_TTL):
            manifest = retrain(settings, factory)
    except MailRunLockedError:
        log.info("nightly retrain skipped: another process is training")
        return None
    log.info(
        "nightly retrain %s: %s; held back %s (was %s), corpus %s (was %s)",
        manifest.version,
        "accepted" if manifest.accepted else "refused",
        manifest.held_back_new,
        manifest.held_back_old,
        manifest.corpus_new,
        manifest.corpus_old,
    )
    return manifest
