"""One message in, its documents out: parse, find the invoice parts, ingest each. Flushes only."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import Message

from sqlalchemy.orm import Session

from app.attributes import from_attributes
from app.config import Settings
from app.documents.intake import ingest
from app.errors import TooLargeError, UploadError
from app.mail.headers import sender_metadata
from app.mail.images import ImageLimits
from app.mail.ledger import Handled
from app.mail.models import Outcome
from app.mail.parts import PartLimits, Rejection, RejectionKind, extract_parts
from app.models import Source


def limits(settings: Settings) -> PartLimits:
    mail = settings.mail
    images = ImageLimits(min_bytes=int(mail.min_image_kb * 1024), min_side_px=mail.min_image_side_px)
    return from_attributes(PartLimits, mail, max_file_bytes=settings.max_upload_bytes, images=images)


def parse(raw: bytes) -> Message:
    return message_from_bytes(raw, policy=policy.default)


def handle_message(session: Session, raw: bytes, *, source: str, settings: Settings) -> Handled:
    """Ingest every invoice part of a raw message as a `mail` document and name the outcome."""
    message = parse(raw)
    parts = extract_parts(message, limits(settings))
    handled = Handled(outcome=Outcome.NO_ATTACHMENT, sender=sender_metadata(message))
    rejections = list(parts.rejections)
    for attachment in parts.attachments:
        try:
            document, created = ingest(
                session,
                attachment.data,
                filename=attachment.filename,
                source=Source.MAIL,
                actor=f"mail:{source}"[:64],
                max_bytes=settings.max_upload_bytes,
                limits=settings.limits,
            )
        except UploadError as exc:
            kind: RejectionKind = "too_large" if isinstance(exc, TooLargeError) else "unsupported"
            rejections.append(Rejection(attachment.filename, kind, exc.message))
            continue
        handled.documents.append(document)
        if created:
            handled.created.append(document.id)
    handled.outcome = outcome(handled, rejections)
    notes = [str(r) for r in rejections] + [f"not a document: {why}" for why in parts.ignored]
    handled.reason = "; ".join(notes) or None
    return handled


def outcome(handled: Handled, rejections: list[Rejection]) -> Outcome:
    if handled.created:
        return Outcome.INGESTED
    if handled.documents:
        return Outcome.DUPLICATE
    if any(r.kind == "too_large" for r in rejections):
        return Outcome.TOO_LARGE
    if rejections:
        return Outcome.UNSUPPORTED
    return Outcome.NO_ATTACHMENT
