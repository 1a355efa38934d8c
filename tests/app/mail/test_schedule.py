from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from huey import MemoryHuey

from app.config import Settings
from app.db import get_sessionmaker
from app.mail.lock import hold
from app.mail.run import LOCK_NAME
from app.mail.schedule import cron_matcher, scheduled_run
from app.worker import create_queue
from tests.app.mail import imap
from tests.app.mail.conftest import mail_settings
from tests.app.mail.messages import attach_pdf, mail, unique_pdf
from tests.conftest import make_settings


def test_the_cron_expression_is_read_in_local_time() -> None:
    local_two = datetime(2026, 11, 25, 2, 0).astimezone()  # 02:00 here, whatever the zone
    utc_naive = local_two.astimezone(UTC).replace(tzinfo=None)

    nightly = cron_matcher("0 2 * * *", utc=True)

    assert nightly(utc_naive)
    assert not nightly(utc_naive + timedelta(minutes=1))
    assert cron_matcher("0 2 * * *", utc=False)(datetime(2026, 11, 25, 2, 0, 30))


def _due(settings: Settings, local: datetime) -> set[str]:
    """The periodic tasks Huey's scheduler would start at the local time `local`."""
    huey = create_queue(settings, MemoryHuey("kontor-test")).huey
    moment = local.astimezone().astimezone(UTC).replace(tzinfo=None)  # Huey keeps naive UTC
    return {task.name for task in huey.read_periodic(moment)}


def test_the_queue_schedules_a_mail_run_only_when_sources_are_configured(
    tmp_path: Path, database_url: str
) -> None:
    source = imap.imap_source(imap.new_user())
    nightly = mail_settings(tmp_path, database_url, [source])
    two, three = datetime(2026, 11, 25, 2, 0), datetime(2026, 11, 25, 3, 0)

    assert "ingest_mail" in _due(nightly, two)
    assert "ingest_mail" not in _due(nightly, three)
    assert "ingest_mail" not in _due(make_settings(tmp_path, database_url), two)
    assert "ingest_mail" not in _due(mail_settings(tmp_path, database_url, [source], schedule=""), two)


def test_the_scheduled_run_steps_aside_while_another_holds_the_lock(
    tmp_path: Path, live_database_url: str
) -> None:
    user = imap.new_user()
    imap.append(user, attach_pdf(mail(), unique_pdf()).as_bytes())
    settings = mail_settings(tmp_path, live_database_url, [imap.imap_source(user)])
    queued: list[int] = []

    with hold(get_sessionmaker(live_database_url), LOCK_NAME, ttl=timedelta(minutes=5)):
        assert scheduled_run(settings, queued.append) == "locked"
    assert scheduled_run(settings, queued.append) == "done"

    assert len(queued) == 1
