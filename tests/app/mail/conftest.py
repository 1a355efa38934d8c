"""Mailboxes to feed: a fresh user on the test Dovecot, or a temporary Maildir; the same tests run on both."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import select

from app.config import Settings
from app.db import get_sessionmaker, session_scope
from app.mail.config import MailSource
from app.mail.maildir import ensure_maildir
from app.mail.models import MailMessage
from app.models import Document
from tests.app.mail import imap
from tests.conftest import make_settings


class SeededMailbox(Protocol):
    kind: str

    def source(self, **overrides: Any) -> MailSource: ...

    def deliver(self, raw: bytes) -> None: ...

    def waiting(self) -> int: ...

    def processed(self) -> int: ...


@dataclass
class ImapBox:
    user: str
    kind: str = "imap"

    def source(self, **overrides: Any) -> MailSource:
        return imap.imap_source(self.user, **overrides)

    def deliver(self, raw: bytes) -> None:
        imap.append(self.user, raw)

    def waiting(self) -> int:
        return imap.count(self.user, criteria="UNDELETED UNKEYWORD $KontorProcessed")

    def processed(self) -> int:
        return imap.count(self.user, "Processed")


@dataclass
class MaildirBox:
    root: Path
    kind: str = "maildir"

    def source(self, **overrides: Any) -> MailSource:
        fields: dict[str, object] = {"name": "maildir", "url": f"maildir://{self.root.as_posix()}"}
        return MailSource.model_validate({**fields, **overrides})

    def deliver(self, raw: bytes) -> None:
        # Delivery as an MDA does it: written to tmp/, then renamed into new/.
        name = f"{uuid.uuid4().hex}.kontor-test"
        (self.root / "tmp" / name).write_bytes(raw)
        (self.root / "tmp" / name).rename(self.root / "new" / name)

    def waiting(self) -> int:
        return sum(1 for sub in ("new", "cur") for p in (self.root / sub).iterdir() if ":2,S" not in p.name)

    def processed(self) -> int:
        folder = self.root / ".Processed" / "cur"
        return len(list(folder.iterdir())) if folder.is_dir() else 0


@pytest.fixture(params=["imap", "maildir"])
def mailbox(request: pytest.FixtureRequest, tmp_path: Path) -> SeededMailbox:
    if request.param == "imap":
        return ImapBox(imap.new_user())
    root = tmp_path / "Maildir"
    ensure_maildir(root)
    return MaildirBox(root)


def mail_settings(
    tmp_path: Path, database_url: str, sources: Sequence[MailSource], **mail: object
) -> Settings:
    return make_settings(tmp_path, database_url, max_upload_mb=1, mail={"sources": list(sources), **mail})


@pytest.fixture
def settings_for(tmp_path: Path, live_database_url: str, mailbox: SeededMailbox) -> Settings:
    """Settings reading `mailbox` into a database of the test's own."""
    return mail_settings(tmp_path, live_database_url, [mailbox.source()])


def ledger(database_url: str) -> list[MailMessage]:
    with session_scope(get_sessionmaker(database_url)) as session:
        return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def documents(database_url: str) -> list[Document]:
    with session_scope(get_sessionmaker(database_url)) as session:
        return list(session.scalars(select(Document).order_by(Document.id)))
