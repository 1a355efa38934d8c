"""Images in mail: a scan or a photo of an invoice is a document; the mail's logo and pixels are not."""

from __future__ import annotations

import random
from email.message import EmailMessage
from email.utils import make_msgid

from PIL import Image
from sqlalchemy import select

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.mail.message import limits, parse
from app.mail.models import Outcome
from app.mail.parts import extract_parts
from app.mail.run import ingest_mail
from app.scans.models import Rendition, RenditionKind
from tests.app.mail.conftest import SeededMailbox, documents, ledger
from tests.app.mail.messages import mail, unique_pdf
from tests.app.scans.images import encoded, scan_of


def _noise(size: tuple[int, int], seed: int) -> Image.Image:
    # Noise does not compress: a logo of this size stays well above the byte threshold.
    rng = random.Random(seed)
    return Image.frombytes("L", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1])))


def newsletter_with_a_photographed_invoice() -> EmailMessage:
    """A supplier's HTML mail: logo in the signature (cid:), a tracking pixel, the invoice as a photo."""
    message = mail(body="Anbei die Rechnung als Foto.")
    logo_cid = make_msgid(domain="muster.example")
    html = (
        f'<html><body><p>Anbei die Rechnung.</p><img src="cid:{logo_cid[1:-1]}" alt="Muster GmbH">'
        '<img src="https://track.example/o.png" width="1" height="1"></body></html>'
    )
    message.add_alternative(html, subtype="html")
    html_part = next(part for part in message.walk() if part.get_content_type() == "text/html")
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(
        encoded([_noise((480, 160), 1)], "PNG"),
        maintype="image",
        subtype="png",
        cid=logo_cid,
        filename="logo.png",
    )
    message.add_attachment(
        encoded([Image.new("L", (1, 1), 255)], "PNG", dpi=None),
        maintype="image",
        subtype="png",
        filename="pixel.png",
        disposition="inline",
    )
    photo = scan_of(unique_pdf("Rechnung Foto"), "JPEG")
    message.add_attachment(photo, maintype="image", subtype="jpeg", filename="IMG_2041.jpg")
    return message


def fax_as_nameless_tiff() -> EmailMessage:
    # A fax gateway's mail: a multi-page TIFF without a name, declared as an octet-stream.
    message = mail(subject="Fax von +49 30 1234567")
    tiff = scan_of(unique_pdf("Rechnung Fax"), "TIFF")
    message.add_attachment(tiff, maintype="application", subtype="octet-stream")
    [part] = message.iter_attachments()
    del part["Content-Disposition"]
    return message


def test_only_the_photo_of_the_invoice_is_a_document() -> None:
    settings = Settings(_env_file=None, environment="test")
    parts = extract_parts(parse(newsletter_with_a_photographed_invoice().as_bytes()), limits(settings))

    assert [a.filename for a in parts.attachments] == ["IMG_2041.jpg"]
    assert parts.rejections == []
    ignored = " | ".join(parts.ignored)
    assert "logo.png: an inline image of the mail's HTML body" in ignored
    assert "pixel.png" in ignored
    assert "1 x 1 pixels" in ignored or "bytes, below" in ignored


def test_a_logo_the_body_does_not_show_is_judged_by_its_size() -> None:
    settings = make_settings_for_sizes(min_image_kb=0, min_image_side_px=200)
    message = mail()
    message.add_attachment(
        encoded([_noise((480, 160), 2)], "PNG"), maintype="image", subtype="png", filename="l.png"
    )
    message.add_attachment(
        encoded([_noise((480, 640), 3)], "PNG"), maintype="image", subtype="png", filename="p.png"
    )

    parts = extract_parts(parse(message.as_bytes()), limits(settings))

    assert [a.filename for a in parts.attachments] == ["p.png"]
    assert parts.ignored == ["l.png: 480 x 160 pixels, smaller than a document page (200 a side)"]


def make_settings_for_sizes(**mail_limits: object) -> Settings:
    return Settings(_env_file=None, environment="test", mail=mail_limits)


def test_images_in_mail_are_ingested_through_the_real_mailbox(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    mailbox.deliver(newsletter_with_a_photographed_invoice().as_bytes())
    mailbox.deliver(fax_as_nameless_tiff().as_bytes())

    ingest_mail(settings_for)

    photo, fax = ledger(settings_for.resolved_database_url)
    assert (photo.outcome, len(photo.document_ids)) == (Outcome.INGESTED, 1), photo.reason
    assert "not a document: logo.png" in (photo.reason or "")
    assert "pixel.png" in (photo.reason or "")
    assert (fax.outcome, len(fax.document_ids)) == (Outcome.INGESTED, 1), fax.reason
    stored = documents(settings_for.resolved_database_url)
    assert [d.media_type for d in stored] == ["image/jpeg", "image/tiff"]
    assert (mailbox.waiting(), mailbox.processed()) == (0, 2)


def test_each_ingested_image_has_its_pdf_copy(mailbox: SeededMailbox, settings_for: Settings) -> None:
    mailbox.deliver(fax_as_nameless_tiff().as_bytes())
    ingest_mail(settings_for)

    with session_scope(get_sessionmaker(settings_for.resolved_database_url)) as session:
        kinds = session.scalars(select(Rendition.kind)).all()
    assert kinds == [RenditionKind.PDF]


def test_a_message_of_decoration_only_says_why_nothing_was_taken(
    mailbox: SeededMailbox, settings_for: Settings
) -> None:
    message = mail(subject="Newsletter")
    message.add_attachment(
        encoded([Image.new("L", (1, 1), 0)], "PNG", dpi=None),
        maintype="image",
        subtype="png",
        filename="t.png",
    )
    mailbox.deliver(message.as_bytes())

    ingest_mail(settings_for)

    [row] = ledger(settings_for.resolved_database_url)
    assert row.outcome == Outcome.NO_ATTACHMENT
    assert (row.reason or "").startswith("not a document: t.png")
