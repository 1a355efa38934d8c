"""Source specifics: TLS on both IMAP ports, refusing untrusted servers, flagging instead of moving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.mail.run import ingest_mail
from tests.app.mail import imap
from tests.app.mail.conftest import ImapBox, MaildirBox, SeededMailbox, documents, mail_settings
from tests.app.mail.messages import attach_pdf, mail, unique_pdf


def test_implicit_tls_on_the_imaps_port(tmp_path: Path, live_database_url: str) -> None:
    user = imap.new_user()
    imap.append(user, attach_pdf(mail(), unique_pdf()).as_bytes())
    settings = mail_settings(tmp_path, live_database_url, [imap.imap_source(user, implicit_tls=True)])

    summary = ingest_mail(settings)

    assert (summary.created, summary.errors) == (1, [])
    assert imap.count(user, "Processed") == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "wrong"}, "cannot log in"),
        ({"ca_file": None}, "CERTIFICATE_VERIFY_FAILED"),
    ],
)
def test_a_source_that_cannot_be_read_is_reported_and_others_still_run(
    tmp_path: Path, live_database_url: str, overrides: dict[str, Any], message: str
) -> None:
    broken, working = imap.new_user(), imap.new_user()
    imap.append(working, attach_pdf(mail(), unique_pdf()).as_bytes())
    sources = [
        imap.imap_source(broken, name="broken", **overrides),
        imap.imap_source(working, name="working"),
    ]

    summary = ingest_mail(mail_settings(tmp_path, live_database_url, sources))

    assert summary.created == 1
    [error] = summary.errors
    assert error.startswith("broken:")
    assert message in error


def test_a_password_file_is_read(tmp_path: Path, live_database_url: str) -> None:
    user = imap.new_user()
    imap.append(user, attach_pdf(mail(), unique_pdf()).as_bytes())
    secret = tmp_path / "imap-password"
    secret.write_text(imap.PASSWORD + "\n", encoding="utf-8")
    source = imap.imap_source(user, password=None, password_file=secret)

    assert ingest_mail(mail_settings(tmp_path, live_database_url, [source])).created == 1


def test_only_the_named_source_is_read(tmp_path: Path, live_database_url: str) -> None:
    first, second = imap.new_user(), imap.new_user()
    for user in (first, second):
        imap.append(user, attach_pdf(mail(), unique_pdf()).as_bytes())
    sources = [imap.imap_source(first, name="first"), imap.imap_source(second, name="second")]

    summary = ingest_mail(mail_settings(tmp_path, live_database_url, sources), source="second")

    assert summary.created == 1
    assert (imap.count(first), imap.count(second)) == (1, 0)


def test_flag_mode_marks_messages_where_they_are(
    tmp_path: Path, live_database_url: str, mailbox: SeededMailbox
) -> None:
    mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    mailbox.deliver(mail().as_bytes())
    settings = mail_settings(tmp_path, live_database_url, [mailbox.source(processed_folder="")])

    first = ingest_mail(settings)
    second = ingest_mail(settings)

    assert (first.seen, second.seen) == (2, 0)
    assert (mailbox.waiting(), mailbox.processed()) == (0, 0)
    assert len(documents(live_database_url)) == 1
    if isinstance(mailbox, MaildirBox):
        assert all(p.name.endswith(":2,S") for p in (mailbox.root / "cur").iterdir())
    elif isinstance(mailbox, ImapBox):
        assert all("$KontorProcessed" in flags for flags in imap.keywords(mailbox.user))


def test_a_directory_that_is_not_a_maildir_is_reported(tmp_path: Path, live_database_url: str) -> None:
    box = MaildirBox(tmp_path / "nothing-here")

    summary = ingest_mail(mail_settings(tmp_path, live_database_url, [box.source()]))

    assert "is not a Maildir" in summary.errors[0]
