"""Mails as invoices arrive in them, built with the standard library."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.corpus import corpus_dir
from tests.factories import text_pdf

EINVOICE = "CEN__cii_examples_CII_business_example_01.xml"


def unique_pdf(label: str = "Rechnung") -> bytes:
    """A valid PDF no other test has: documents are content-addressed."""
    return text_pdf(f"{label} {uuid.uuid4().hex}")


def einvoice_xml() -> bytes:
    return (corpus_dir() / "xml" / EINVOICE).read_bytes()


def mail(
    *,
    subject: str = "Ihre Rechnung",
    body: str = "Anbei die Rechnung.",
    message_id: str | None = "",
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A plain message; `message_id=None` leaves the header out, "" makes a fresh one."""
    message = EmailMessage()
    message["From"] = "Buchhaltung Muster GmbH <rechnung@muster.example>"
    message["To"] = "invoices@kontor.example"
    message["Reply-To"] = "zahlung@muster.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(domain="muster.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def attach_pdf(
    message: EmailMessage, data: bytes, filename: str = "rechnung.pdf", *, disposition: str = "attachment"
) -> EmailMessage:
    message.add_attachment(
        data, maintype="application", subtype="pdf", filename=filename, disposition=disposition
    )
    return message


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def as_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes()
