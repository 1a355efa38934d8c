"""Every kind of message a supplier sends, read from a real IMAP server and from a Maildir."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.config import Settings
from app.mail.models import Outcome
from app.mail.run import ingest_mail
from app.models import Source
from tests.app.mail.conftest import SeededMailbox, documents, ledger, mail_settings
from tests.app.mail.messages import attach_pdf, einvoice_xml, mail, unique_pdf, zip_of


def several_attachments() -> EmailMessage:
    message = attach_pdf(mail(), unique_pdf(), "rechnung-1.pdf")
    attach_pdf(message, unique_pdf(), "rechnung-2.pdf")
    message.add_attachment(einvoice_xml(), maintype="application", subtype="xml", filename="xrechnung.xml")
    return message


def inline_pdf() -> EmailMessage:
    return attach_pdf(mail(), unique_pdf(), "scan.pdf", disposition="inline")


def octet_stream_pdf() -> EmailMessage:
    message = mail()
    message.add_attachment(
        unique_pdf(), maintype="application", subtype="octet-stream", filename="RE-4711.PDF"
    )
    return message


def nameless_octet_stream_pdf() -> EmailMessage:
    # What some scanners send: no file name at all, only the bytes say it is a PDF.
    message = mail()
    message.add_attachment(unique_pdf(), maintype="application", subtype="octet-stream")
    [part] = message.iter_attachments()
    del part["Content-Disposition"]
    return message


def xml_einvoice() -> EmailMessage:
    message = mail()
    message.add_attachment(einvoice_xml(), maintype="text", subtype="xml", filename="invoice.xml")
    return message


def nested_message() -> EmailMessage:
    forwarded = attach_pdf(mail(subject="Rechnung 4711"), unique_pdf())
    outer = mail(subject="Fwd: Rechnung 4711", body="Bitte verbuchen.")
    outer.add_attachment(forwarded)
    return outer


def zip_archive() -> EmailMessage:
    archive = zip_of(
        {"a/rechnung-1.pdf": unique_pdf(), "rechnung-2.pdf": unique_pdf(), "liesmich.txt": b"hi"}
    )
    message = mail()
    message.add_attachment(archive, maintype="application", subtype="zip", filename="rechnungen.zip")
    return message


def no_attachment() -> EmailMessage:
    return mail(subject="Frage zur Rechnung", body="Wann zahlen Sie?")


def oversized_attachment() -> EmailMessage:
    # The upload limit in these settings is 1 MiB; the size is refused before the content is looked at.
    return attach_pdf(mail(), unique_pdf() + b"%" + b"0" * (1024 * 1024 + 1), "gross.pdf")


def zip_bomb() -> EmailMessage:
    message = mail()
    bomb = zip_of({"rechnung.pdf": b"\0" * (20 * 1024 * 1024)})
    message.add_attachment(bomb, maintype="application", subtype="zip", filename="rechnung.zip")
    return message


def unsupported() -> EmailMessage:
    message = mail()
    message.add_attachment(
        b"<note>kein Rechnung</note>", maintype="application", subtype="xml", filename="x.xml"
    )
    message.add_attachment(b"PK\x03\x04 not really", maintype="application", subtype="zip", filename="y.zip")
    return message


CASES: dict[str, tuple[Callable[[], EmailMessage], Outcome, int]] = {
    "several attachments": (several_attachments, Outcome.INGESTED, 3),
    "inline pdf": (inline_pdf, Outcome.INGESTED, 1),
    "octet-stream pdf": (octet_stream_pdf, Outcome.INGESTED, 1),
    "nameless octet-stream pdf": (nameless_octet_stream_pdf, Outcome.INGESTED, 1),
    "xml e-invoice": (xml_einvoice, Outcome.INGESTED, 1),
    "nested message": (nested_message, Outcome.INGESTED, 1),
    "zip": (zip_archive, Outcome.INGESTED, 2),
    "no attachment": (no_attachment, Outcome.NO_ATTACHMENT, 0),
    "oversized attachment": (oversized_attachment, Outcome.TOO_LARGE, 0),
    "zip bomb": (zip_bomb, Outcome.TOO_LARGE, 0),
    "not an invoice": (unsupported, Outcome.UNSUPPORTED, 0),
}


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_message_is_recorded_and_moved(
    case: str, mailbox: SeededMailbox, settings_for: Settings
) -> None:
    build, outcome, count = CASES[case]
    mailbox.deliver(build().as_bytes())

    summary = ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert (row.outcome, len(row.document_ids)) == (outcome, count), row.reason
    assert summary.seen == 1
    assert summary.created == count
    assert row.settled_at is not None
    assert (mailbox.waiting(), mailbox.processed()) == (0, 1)
    assert all(d.source == Source.MAIL for d in documents(settings_for.resolved_database_url))
    if outcome in (Outcome.TOO_LARGE, Outcome.UNSUPPORTED):
        assert row.reason


def test_a_message_over_the_size_limit_is_not_downloaded(
    tmp_path: Path, live_database_url: str, mailbox: SeededMailbox
) -> None:
    mailbox.deliver(attach_pdf(mail(), unique_pdf() + b"0" * 200_000).as_bytes())
    settings = mail_settings(tmp_path, live_database_url, [mailbox.source()], max_message_mb=0.1)

    ingest_mail(settings)

    [row] = ledger(live_database_url)
    assert row.outcome == Outcome.TOO_LARGE
    assert "limit is 104857" in (row.reason or "")
    assert (mailbox.waiting(), mailbox.processed()) == (0, 1)


def test_sender_metadata_and_authentication_verdicts_are_kept(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    verdicts = (
        "mx.kontor.example; spf=pass smtp.mailfrom=muster.example; dkim=pass header.d=muster.example; "
        "dmarc=fail"
    )
    forged = "attacker.example; spf=pass; dkim=pass; dmarc=pass"
    message = mail(message_id="<r-4711@muster.example>", headers={"Authentication-Results": verdicts})
    message["Authentication-Results"] = forged  # added lower down by the sender: not a verdict
    mailbox.deliver(attach_pdf(message, unique_pdf()).as_bytes())

    ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert row.message_key == "<r-4711@muster.example>"
    assert row.sender["from"] == "Buchhaltung Muster GmbH <rechnung@muster.example>"
    assert row.sender["reply_to"] == "zahlung@muster.example"
    assert row.sender["subject"] == "Ihre Rechnung"
    assert row.sender["date"] == "2026-11-24T09:30:00+00:00"
    assert row.sender["authentication"] == {"spf": "pass", "dkim": "pass", "dmarc": "fail"}
    assert len(row.sender["authentication_results"]) == 2


def test_messages_are_read_oldest_first_and_counted(mailbox: SeededMailbox, settings_for: Settings) -> None:
    for _ in range(3):
        mailbox.deliver(attach_pdf(mail(), unique_pdf()).as_bytes())
    mailbox.deliver(no_attachment().as_bytes())
    seen: list[tuple[str, int, int]] = []

    summary = ingest_mail(settings_for, progress=lambda *step: seen.append(step))

    assert (summary.seen, summary.created, summary.skipped, summary.failed) == (4, 3, 1, 0)
    assert [step[1:] for step in seen] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
