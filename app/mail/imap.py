"""An IMAP mailbox over TLS (implicit or STARTTLS), with the standard library's imaplib.

Messages are read with BODY.PEEK so that nothing is marked read until it is handled; handled
messages are moved with MOVE where the server has it (atomic), otherwise copied, flagged deleted
and expunged by UID (UIDPLUS), or only flagged with a keyword where moving is not wanted.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.mail.config import ImapTarget, MailSource
from app.mail.headers import header_message_id
from app.mail.sources import Envelope, MailSourceError

_BATCH = 200
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@contextmanager
def connect(source: MailSource) -> Iterator[ImapMailbox]:
    target = source.imap_target()
    client = _login(source, target)
    try:
        mailbox = ImapMailbox(client, source, target)
        mailbox.select()
        yield mailbox
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def _login(source: MailSource, target: ImapTarget) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=source.ca_file)
    where = f"{source.name} ({target.host}:{target.port})"
    client: imaplib.IMAP4 | None = None
    try:
        if target.tls == "implicit":
            client = imaplib.IMAP4_SSL(
                target.host, target.port, ssl_context=context, timeout=source.timeout_seconds
            )
        else:
            client = imaplib.IMAP4(target.host, target.port, timeout=source.timeout_seconds)
            client.starttls(ssl_context=context)
        client.login(target.user, source.secret())
    except (OSError, imaplib.IMAP4.error) as exc:
        if client is not None:
            with contextlib.suppress(OSError):
                client.shutdown()
        raise MailSourceError(f"{where}: cannot log in ({exc})") from exc
    return client


class ImapMailbox:
    def __init__(self, client: imaplib.IMAP4, source: MailSource, target: ImapTarget) -> None:
        self.client = client
        self.source = source
        self.mailbox = target.mailbox
        self.capabilities: frozenset[str] = frozenset()
        self._folder_ready = False

    def select(self) -> None:
        data = self._ok(self.client.capability(), "CAPABILITY")
        self.capabilities = frozenset(str(data[0], "ascii", "replace").upper().split())
        self._ok(self.client.select(quote(self.mailbox)), f"SELECT {self.mailbox}")

    def pending(self) -> list[Envelope]:
        criteria = "UNDELETED" if self.source.moves else f"UNDELETED UNKEYWORD {self.source.keyword}"
        data = self._ok(self.client.uid("SEARCH", criteria), "SEARCH")
        uids = [uid.decode() for uid in (data[0] or b"").split()]
        envelopes: list[Envelope] = []
        for start in range(0, len(uids), _BATCH):
            envelopes += self._envelopes(uids[start : start + _BATCH])
        return sorted(envelopes, key=lambda e: int(e.ref))

    def fetch(self, ref: str) -> bytes:
        data = self._ok(self.client.uid("FETCH", ref, "(BODY.PEEK[])"), f"FETCH {ref}")
        for item in data:
            if isinstance(item, tuple) and _UID.search(item[0]):
                return bytes(item[1])
        raise MailSourceError(f"{self.source.name}: message {ref} is no longer in {self.mailbox}")

    def settle(self, ref: str) -> None:
        if not self.source.moves:
            flag = f"({self.source.keyword})"
            self._ok(self.client.uid("STORE", ref, "+FLAGS.SILENT", flag), f"STORE {ref}")
            return
        folder = quote(self._processed_folder())
        if "MOVE" in self.capabilities:
            self._ok(self.client.uid("MOVE", ref, folder), f"MOVE {ref}")
            return
        self._ok(self.client.uid("COPY", ref, folder), f"COPY {ref}")
        self._ok(self.client.uid("STORE", ref, "+FLAGS.SILENT", r"(\Deleted)"), f"STORE {ref}")
        if "UIDPLUS" in self.capabilities:
            # A plain EXPUNGE would also remove what a person marked deleted; without UIDPLUS the
            # copy stays flagged \Deleted, which `pending` skips.
            self._ok(self.client.uid("EXPUNGE", ref), f"EXPUNGE {ref}")

    def _envelopes(self, uids: list[str]) -> list[Envelope]:
        query = "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
        data = self._ok(self.client.uid("FETCH", ",".join(uids), query), "FETCH headers")
        envelopes = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            uid, size = _UID.search(item[0]), _SIZE.search(item[0])
            if uid is None:
                continue
            message_id = header_message_id(bytes(item[1]))
            envelopes.append(Envelope(uid.group(1).decode(), message_id, int(size.group(1)) if size else 0))
        return envelopes

    def _processed_folder(self) -> str:
        folder = self.source.processed_folder
        if not self._folder_ready:
            listed = self._ok(self.client.list('""', quote(folder)), "LIST")
            if not any(listed):
                self._ok(self.client.create(quote(folder)), f"CREATE {folder}")
                with contextlib.suppress(imaplib.IMAP4.error):
                    self.client.subscribe(quote(folder))
            self._folder_ready = True
        return folder

    def _ok(self, response: tuple[str, Any], what: str) -> list[Any]:
        typ, data = response
        if typ != "OK":
            detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise MailSourceError(f"{self.source.name}: {what} failed: {typ} {detail}")
        return list(data)


def quote(name: str) -> str:
    """An IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
