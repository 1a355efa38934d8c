"""Notifications: a daily e-mail to reviewers (queue count, oldest item) and a webhook on status changes.

The webhook is sent after the transaction that changed the status commits (never for a rolled-back
change), from a background thread so that no request or pipeline step waits for the receiver. Every
status change writes a `status` audit event (see `app.pipeline.lifecycle.set_status`); those events are
what is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any
from weakref import WeakKeyDictionary

import httpx
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import NotifySettings
from app.db import session_scope
from app.models import AuditEvent, Document, Status, utcnow

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5.0
_PENDING = "kontor_status_events"
_webhooks: WeakKeyDictionary[Engine, NotifySettings] = WeakKeyDictionary()


@dataclass(frozen=True)
class Digest:
    waiting: int
    oldest_id: int | None = None
    oldest_name: str | None = None
    oldest_since: datetime | None = None


def queue_digest(session: Session) -> Digest:
    waiting = int(
        session.scalar(select(func.count(Document.id)).where(Document.status == Status.NEEDS_REVIEW)) or 0
    )
    oldest = session.execute(
        select(Document.id, Document.filename, Document.received_at)
        .where(Document.status == Status.NEEDS_REVIEW)
        .order_by(Document.received_at, Document.id)
        .limit(1)
    ).first()
    if oldest is None:
        return Digest(waiting)
    return Digest(waiting, oldest.id, oldest.filename, oldest.received_at)


def daily_message(digest: Digest, settings: NotifySettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = ", ".join(settings.daily_to)
    message["Subject"] = f"Kontor: {digest.waiting} invoice(s) waiting for review"
    lines = [f"{digest.waiting} document(s) wait for review: {settings.review_url}"]
    if digest.oldest_id is not None and digest.oldest_since is not None:
        since = f"{digest.oldest_since:%Y-%m-%d %H:%M} UTC"
        link = f"{settings.review_url}/documents/{digest.oldest_id}"
        lines.append(f"The oldest, #{digest.oldest_id} {digest.oldest_name}, arrived {since}: {link}")
    message.set_content("\n".join(lines) + "\n")
    return message


def send_daily(
    factory: sessionmaker[Session], settings: NotifySettings, *, today: date | None = None
) -> bool:
    """Send today's e-mail unless it went out already (several workers may run the schedule)."""
    if not (settings.smtp_host and settings.daily_to):
        return False
    day = (today or utcnow().date()).isoformat()
    with session_scope(factory) as session:
        sent = session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.action == "notify.daily", AuditEvent.after["day"].as_string() == day
            )
        )
        if sent is not None:
            return False
        digest = queue_digest(session)
        session.add(
            AuditEvent(actor="system", action="notify.daily", after={"day": day, "waiting": digest.waiting})
        )
    deliver(daily_message(digest, settings), settings)
    return True


def deliver(message: EmailMessage, settings: NotifySettings) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def configure_webhook(engine: Engine, settings: NotifySettings) -> None:
    """Send status changes made through `engine` to `settings.webhook_url` (or stop, when it is unset)."""
    if settings.webhook_url:
        _webhooks[engine] = settings
    else:
        _webhooks.pop(engine, None)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: Any) -> None:
    if not _webhooks:
        return
    for obj in session.new:
        if isinstance(obj, AuditEvent) and obj.action == "status":
            session.info.setdefault(_PENDING, []).append(_payload(obj))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    events = session.info.pop(_PENDING, [])
    if not events:
        return
    bind = session.get_bind()
    settings = _webhooks.get(bind) if isinstance(bind, Engine) else None
    if settings is not None:
        threading.Thread(target=post_events, args=(settings, events), daemon=True).start()


def post_events(settings: NotifySettings, events: list[dict[str, Any]]) -> None:
    """POST each event; a receiver that is down is logged, never retried into the pipeline's way."""
    assert settings.webhook_url is not None
    for payload in events:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if settings.webhook_secret:
            digest = hmac.new(settings.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Kontor-Signature"] = f"sha256={digest}"
        try:
            httpx.post(settings.webhook_url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT)
        except httpx.HTTPError as exc:
            log.warning("webhook %s: %s", settings.webhook_url, exc)


def _payload(event_row: AuditEvent) -> dict[str, Any]:
    after, before = event_row.after or {}, event_row.before or {}
    return {
        "event": "document.status",
        "document_id": event_row.document_id,
        "from": before.get("status"),
        "to": after.get("status"),
        "reason": after.get("reason"),
        "actor": event_row.actor,
        "at": (event_row.at or utcnow()).isoformat(),
    }
