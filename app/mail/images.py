"""Which images in a message are documents: a scan or a photo is, the mail's own decoration is not.

An image the HTML body shows (`<img src="cid:...">`) belongs to the mail: a logo, a signature, a
banner. So does an image too small to be a page: a tracking pixel, an icon, a social-media button.
Everything else (an attached scan, a phone photo pasted into the mail without a reference) is taken.
Only the image's header is read here; the full checks come with ingest.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote

from PIL import Image, UnidentifiedImageError

from app.scans.images import FORMATS

_CID = re.compile(rb"""cid:([^"'\s>)]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ImageLimits:
    """Below either bound an image is decoration, not a document page."""

    min_bytes: int
    min_side_px: int


#: No size bound: only images the HTML body shows are left out.
ANY_IMAGE = ImageLimits(min_bytes=0, min_side_px=0)


def referenced_cids(message: Message) -> frozenset[str]:
    """Content-IDs the HTML bodies of `message` (and of messages inside it) show inline."""
    found: set[str] = set()
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found.update(
                _normal(unquote(match.decode("ascii", "replace"))) for match in _CID.findall(payload)
            )
    return frozenset(found)


def content_id(part: Message) -> str | None:
    value = part.get("Content-ID")
    return _normal(str(value)) if value else None


def _normal(cid: str) -> str:
    return cid.strip().strip("<>").strip().lower()


def decoration(part: Message, data: bytes, cids: frozenset[str], limits: ImageLimits) -> str | None:
    """Why this image part is not a document (for the mail ledger); None when it is one."""
    cid = content_id(part)
    if cid is not None and cid in cids:
        return "an inline image of the mail's HTML body"
    if len(data) < limits.min_bytes:
        return f"{len(data)} bytes, below the {limits.min_bytes} bytes of a document page"
    size = _pixels(data)
    if size is not None and min(size) < limits.min_side_px:
        return f"{size[0]} x {size[1]} pixels, smaller than a document page ({limits.min_side_px} a side)"
    return None


def _pixels(data: bytes) -> tuple[int, int] | None:
    # Opening reads the header only; an image that cannot be opened is left to ingest to refuse.
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            return width, height
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None
