"""The throwaway Dovecot that scripts/test-services.sh starts: where it listens and how to feed it.

Any user name logs in with the shared password, so each test takes a fresh user and with it an
empty mailbox of its own.
"""

from __future__ import annotations

import imaplib
import os
import re
import ssl
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.mail.config import MailSource
from app.mail.imap import quote

HOST = os.environ.get("KONTOR_TEST_IMAP_HOST", "127.0.0.1")
PORT = int(os.environ.get("KONTOR_TEST_IMAP_PORT", "10143"))
IMAPS_PORT = int(os.environ.get("KONTOR_TEST_IMAPS_PORT", "10993"))
PASSWORD = os.environ.get("KONTOR_TEST_IMAP_PASSWORD", "kontor-test")
DOVECOT_DIR = Path(os.environ.get("KONTOR_TEST_DOVECOT_DIR", Path(tempfile.gettempdir()) / "kontor-dovecot"))
CA_FILE = DOVECOT_DIR / "cert.pem"


def new_user() -> str:
    return f"t{uuid.uuid4().hex[:16]}"


def imap_source(user: str, *, implicit_tls: bool = False, **overrides: Any) -> MailSource:
    url = (
        f"imaps://{user}@{HOST}:{IMAPS_PORT}/INBOX" if implicit_tls else f"imap://{user}@{HOST}:{PORT}/INBOX"
    )
    fields: dict[str, object] = {"name": "imap", "url": url, "password": PASSWORD, "ca_file": CA_FILE}
    return MailSource.model_validate({**fields, **overrides})


@contextmanager
def session(user: str) -> Iterator[imaplib.IMAP4]:
    client = imaplib.IMAP4(HOST, PORT, timeout=30)
    client.starttls(ssl_context=ssl.create_default_context(cafile=CA_FILE))
    client.login(user, PASSWORD)
    try:
        yield client
    finally:
        client.logout()


def append(user: str, raw: bytes, *, folder: str = "INBOX", flags: str | None = None) -> None:
    with session(user) as client:
        typ, data = client.append(quote(folder), flags, None, raw)
        assert typ == "OK", data


def count(user: str, folder: str = "INBOX", criteria: str = "UNDELETED") -> int:
    with session(user) as client:
        typ, _data = client.select(quote(folder), readonly=True)
        if typ != "OK":
            return 0
        _typ, found = client.uid("SEARCH", criteria)
        return len((found[0] or b"").split())


def keywords(user: str, folder: str = "INBOX") -> list[str]:
    """The flags of every message in `folder`, in UID order."""
    with session(user) as client:
        client.select(quote(folder), readonly=True)
        _typ, data = client.uid("FETCH", "1:*", "(FLAGS)")
    return [
        m.group(1).decode() for item in data if (m := re.search(rb"FLAGS \(([^)]*)\)", bytes(item or b"")))
    ]
