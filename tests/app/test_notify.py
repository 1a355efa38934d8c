"""Notifications: the daily e-mail reaches a local SMTP server (aiosmtpd), status changes reach a local
webhook receiver, signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import socket
import threading
from collections.abc import Iterator
from datetime import UTC
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from app.config import NotifySettings
from app.db import get_engine, get_sessionmaker, session_scope
from app.models import Status
from app.notify import configure_webhook, send_daily
from app.pipeline.lifecycle import set_status
from tests.factories import create_document, text_pdf

Received = tuple[dict[str, str], bytes]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: SMTP, _session: SmtpSession, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[Received]]]:
    received: queue.Queue[Received] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def _waiting(live_database_url: str, count: int) -> list[int]:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        return [
            create_document(
                session, data=text_pdf(f"Rechnung {i}"), filename=f"r{i}.pdf", status=Status.NEEDS_REVIEW
            ).id
            for i in range(count)
        ]


def test_the_daily_email_reaches_the_smtp_server_once_a_day(
    live_database_url: str, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_server
    ids = _waiting(live_database_url, 2)
    settings = NotifySettings(smtp_host="127.0.0.1", smtp_port=port, daily_to=["team@kontor.example"])
    factory = get_sessionmaker(live_database_url)
    assert send_daily(factory, settings) is True
    assert send_daily(factory, settings) is False  # another worker's schedule fired too
    (message,) = inbox.messages
    assert message["To"] == "team@kontor.example"
    assert "2 invoice(s) waiting" in str(message["Subject"])
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert f"/review/documents/{ids[0]}" in body.decode()


def test_without_smtp_settings_nothing_is_sent(live_database_url: str) -> None:
    assert send_daily(get_sessionmaker(live_database_url), NotifySettings(daily_to=["a@b.example"])) is False


def test_a_status_change_reaches_the_webhook_signed_after_commit(
    live_database_url: str, receiver: tuple[str, queue.Queue[Received]]
) -> None:
    url, received = receiver
    (document_id,) = _waiting(live_database_url, 1)
    settings = NotifySettings(webhook_url=url, webhook_secret="s3cret")
    configure_webhook(get_engine(live_database_url), settings)
    factory = get_sessionmaker(live_database_url)
    try:
        with pytest.raises(RuntimeError):
            _reject_and_roll_back(factory, document_id)
        with session_scope(factory) as session:
            _reject(session, document_id)
        headers, body = received.get(timeout=30)
    finally:
        configure_webhook(get_engine(live_database_url), NotifySettings())
    event = json.loads(body)
    assert (event["document_id"], event["from"], event["to"]) == (document_id, "needs_review", "rejected")
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Kontor-Signature"] == f"sha256={expected}"
    assert received.empty()  # the rolled-back change was never sent


def _reject_and_roll_back(factory: sessionmaker[Session], document_id: int) -> None:
    with session_scope(factory) as session:
        _reject(session, document_id)
        raise RuntimeError("rolled back")


def _reject(session: Session, document_id: int) -> None:
    from app.models import Document

    document = session.get(Document, document_id)
    assert document is not None
    set_status(session, document, Status.REJECTED, actor="test", reason="not ours")


def test_notify_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import Settings

    monkeypatch.setenv("KONTOR_NOTIFY__WEBHOOK_URL", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("KONTOR_NOTIFY__DAILY_TO", '["a@b.example"]')
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.notify.webhook_url == "http://127.0.0.1:9/hook"
    assert settings.notify.daily_to == ["a@b.example"]


def test_the_worker_schedules_the_daily_email_when_configured(tmp_path: Path, database_url: str) -> None:
    from datetime import datetime

    from huey import MemoryHuey

    from app.worker import create_queue
    from tests.conftest import make_settings

    notify = {"smtp_host": "127.0.0.1", "daily_to": ["a@b.example"], "daily_schedule": "* * * * *"}
    scheduled = create_queue(make_settings(tmp_path, database_url, notify=notify), MemoryHuey("notify-on"))
    plain = create_queue(make_settings(tmp_path, database_url), MemoryHuey("notify-off"))
    now = datetime.now(UTC).replace(tzinfo=None)
    assert "notify_daily" in {task.name for task in scheduled.huey.read_periodic(now)}
    assert "notify_daily" not in {task.name for task in plain.huey.read_periodic(now)}
