"""What a message says about itself: its ledger key and the sender metadata kept for fraud checks."""

from __future__ import annotations

import hashlib
import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from typing import Any

_MAX_KEY = 255
_VERDICT = re.compile(r"\b(spf|dkim|dmarc|arc)\s*=\s*([a-z]+)", re.IGNORECASE)
_MAX_HEADER_CHARS = 2000


def message_key(message_id: str | None, raw: bytes | None = None) -> str:
    """The ledger key: the Message-ID, or (without one) a hash of the raw message.

    Over-long Message-IDs are hashed too, so that the key fits its column and stays stable.
    """
    mid = (message_id or "").strip()
    if mid:
        if len(mid) <= _MAX_KEY:
            return mid
        return "mid-sha256:" + hashlib.sha256(mid.encode("utf-8", "replace")).hexdigest()
    if raw is None:
        raise ValueError("a message without a Message-ID is keyed by its raw bytes")
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def sender_metadata(message: Message) -> dict[str, Any]:
    """From, Reply-To, Message-ID, Date, Subject and the SPF/DKIM/DMARC verdicts.

    Only the topmost Authentication-Results header is turned into verdicts: it was added by the
    receiving server, while lower ones may have been written by the sender to look trustworthy.
    All of them are kept verbatim for a person to read.
    """
    results = [_text(value) for value in message.get_all("Authentication-Results") or []]
    return {
        "from": _header(message, "From"),
        "reply_to": _header(message, "Reply-To"),
        "message_id": _header(message, "Message-ID"),
        "date": _date(message),
        "subject": _header(message, "Subject"),
        "authentication": _verdicts(results[0]) if results else {},
        "authentication_results": results[:5],
    }


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    return _text(value) if value is not None else None


def _text(value: object) -> str:
    # A malformed header must not fail the message: it is evidence, kept as well as it decodes.
    try:
        text = str(value)
    except (UnicodeError, ValueError, TypeError):
        text = repr(value)
    return " ".join(text.split())[:_MAX_HEADER_CHARS]


def _date(message: Message) -> str | None:
    value = message.get("Date")
    if value is None:
        return None
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError, IndexError):
        return _text(value)


def _verdicts(header: str) -> dict[str, str]:
    verdicts: dict[str, str] = {}
    for method, result in _VERDICT.findall(header):
        # The first verdict per method counts (several DKIM signatures: the first one listed).
        verdicts.setdefault(method.lower(), result.lower())
    return verdicts


def header_message_id(head: bytes) -> str | None:
    """The Message-ID in a block of raw header lines, if any."""
    value = BytesHeaderParser().parsebytes(head).get("Message-ID")
    if value is None:
        return None
    return str(value).strip() or None
