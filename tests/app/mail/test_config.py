from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.mail.config import MailSettings, MailSource


def _settings() -> Settings:
    return Settings(_env_file=None)


def test_sources_and_schedule_come_from_flat_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [
        {
            "name": "buchhaltung",
            "url": "imaps://rechnung%40firma.de@mail.firma.de/Rechnungen",
            "password": "s",
        }
    ]
    monkeypatch.setenv("KONTOR_MAIL_SOURCES", json.dumps(sources))
    monkeypatch.setenv("KONTOR_MAIL_SCHEDULE", "30 1 * * 1-5")

    mail = _settings().mail

    assert mail.schedule == "30 1 * * 1-5"
    target = mail.sources[0].imap_target()
    assert (target.user, target.host, target.port, target.mailbox, target.tls) == (
        "rechnung@firma.de",
        "mail.firma.de",
        993,
        "Rechnungen",
        "implicit",
    )


def test_nested_variables_work_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "KONTOR_MAIL__SOURCES", json.dumps([{"name": "m", "url": "maildir:///srv/mail/rechnungen"}])
    )
    monkeypatch.setenv("KONTOR_MAIL__RETRY_LIMIT", "5")

    mail = _settings().mail

    assert mail.sources[0].maildir_path() == Path("/srv/mail/rechnungen")
    assert mail.retry_limit == 5
    assert mail.schedule == "0 2 * * *"


def test_starttls_is_the_plain_imap_scheme() -> None:
    source = MailSource(name="x", url="imap://u@host/INBOX", password="p")

    assert (source.imap_target().tls, source.imap_target().port) == ("starttls", 143)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"name": "x", "url": "pop3://u@h"}, "imaps://"),
        ({"name": "x", "url": "imaps://h/INBOX", "password": "p"}, "user@host"),
        ({"name": "x", "url": "imaps://u@h/INBOX"}, "password"),
        ({"name": "a b", "url": "maildir:///m"}, "pattern"),
    ],
)
def test_bad_sources_are_refused(source: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        MailSource.model_validate(source)


def test_a_bad_schedule_and_duplicate_names_are_refused() -> None:
    with pytest.raises(ValidationError, match="cron"):
        MailSettings(schedule="every night")
    with pytest.raises(ValidationError, match="unique"):
        MailSettings.model_validate({"sources": [{"name": "m", "url": "maildir:///a"}] * 2})
    assert MailSettings(schedule="").schedule == ""
