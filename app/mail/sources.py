"""Where messages come from: one small protocol, an IMAP and a Maildir implementation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from app.errors import KontorError
from app.mail.config import MailSource


class MailSourceError(KontorError):
    """A mailbox cannot be reached, logged into or changed."""

    status_code = 502
    error = "mail_source"


@dataclass(frozen=True)
class Envelope:
    """A message waiting in a mailbox, known by what can be learnt without downloading it."""

    ref: str
    message_id: str | None
    size: int


class Mailbox(Protocol):
    """A mailbox as a run sees it. Implementations SHALL NOT mark a message read or handled except
    in `settle`, so that a message whose documents were not committed is found again next run."""

    def pending(self) -> list[Envelope]:
        """Messages not yet moved or flagged as handled, oldest first."""
        ...

    def fetch(self, ref: str) -> bytes:
        """The raw message."""
        ...

    def settle(self, ref: str) -> None:
        """Move the message to the processed folder, or flag it where it is. Safe to repeat."""
        ...


@contextmanager
def open_mailbox(source: MailSource) -> Iterator[Mailbox]:
    if source.kind == "maildir":
        from app.mail.maildir import MaildirMailbox

        yield MaildirMailbox(source)
        return
    from app.mail.imap import connect

    with connect(source) as mailbox:
        yield mailbox
