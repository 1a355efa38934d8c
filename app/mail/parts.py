"""Finding the invoices in a message: every PDF and XML part wherever it hides, ZIPs opened with limits.

The walk trusts nothing the sender declared: content types are hints next to file names and
magic bytes, archives are measured before anything is unpacked, and nesting is bounded.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from email.message import Message
from pathlib import PurePosixPath
from typing import Literal

from app.mail.images import ANY_IMAGE, ImageLimits, decoration, referenced_cids
from app.media import sniff, sniff_image

Kind = Literal["pdf", "xml", "zip", "image"]
RejectionKind = Literal["too_large", "unsupported"]

_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_ZIP_TYPES = frozenset({"application/zip", "application/x-zip", "application/x-zip-compressed"})
_BY_SUFFIX: dict[str, Kind] = {".pdf": "pdf", ".xml": "xml", ".zip": "zip"}
_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
#: Nesting of multiparts, however legitimate, beyond which a message is hostile.
_MAX_MIME_DEPTH = 64
#: Members this small cannot hurt, whatever their ratio (a page of zeros compresses a thousandfold).
_RATIO_FLOOR = 64 * 1024


@dataclass(frozen=True)
class PartLimits:
    max_depth: int
    max_file_bytes: int
    zip_max_members: int
    zip_max_total_bytes: int
    zip_max_ratio: float
    #: Images below these are the mail's decoration, not documents (`app.mail.images`).
    images: ImageLimits = ANY_IMAGE


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Rejection:
    filename: str
    kind: RejectionKind
    reason: str

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"


@dataclass
class Parts:
    attachments: list[Attachment] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    #: Images left out as the mail's decoration: "name: why".
    ignored: list[str] = field(default_factory=list)
    #: Content-IDs the HTML body shows inline.
    cids: frozenset[str] = frozenset()


def extract_parts(message: Message, limits: PartLimits) -> Parts:
    """Every candidate invoice file in `message`, and the candidates refused with the reason."""
    parts = Parts(cids=referenced_cids(message))
    _walk(message, limits, parts, forwarded=0, depth=0)
    return parts


def _walk(part: Message, limits: PartLimits, parts: Parts, *, forwarded: int, depth: int) -> None:
    if depth > _MAX_MIME_DEPTH:
        parts.rejections.append(Rejection("message", "unsupported", "the MIME structure is nested too deep"))
        return
    if part.get_content_type() == "message/rfc822":
        forwarded += 1
        if forwarded > limits.max_depth:
            reason = f"more than {limits.max_depth} forwarded messages inside each other"
            parts.rejections.append(Rejection("message", "unsupported", reason))
            return
    if part.is_multipart():
        for child in part.get_payload():
            if isinstance(child, Message):
                _walk(child, limits, parts, forwarded=forwarded, depth=depth + 1)
        return
    _leaf(part, limits, parts)


def _leaf(part: Message, limits: PartLimits, parts: Parts) -> None:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    kind = classify(part.get_content_type(), part.get_filename(), data)
    if kind is None:
        return
    name = part.get_filename() or f"attachment-{len(parts.attachments) + len(parts.rejections) + 1}.{kind}"
    if kind == "zip":
        _unzip(name, data, limits, parts)
    elif kind == "image" and (why := decoration(part, data, parts.cids, limits.images)) is not None:
        parts.ignored.append(f"{name}: {why}")
    else:
        parts.attachments.append(Attachment(name, data))


def classify(content_type: str, filename: str | None, data: bytes) -> Kind | None:
    """PDF, XML, ZIP, image or nothing: by file name first, then declared type, then the bytes themselves.

    An image is one by its bytes only (PNG, JPEG, TIFF), whatever it is called or declared as.
    """
    by_name = _BY_SUFFIX.get(PurePosixPath((filename or "").lower()).suffix)
    if by_name is not None:
        return by_name
    if sniff_image(data) is not None:
        return "image"
    if content_type in _PDF_TYPES:
        return "pdf"
    if content_type in _XML_TYPES:
        return "xml"
    if content_type in _ZIP_TYPES:
        return "zip"
    if content_type == "application/octet-stream":
        # Scanners and some ERPs send nameless octet-streams; the magic bytes tell what they are.
        if sniff(data) == "application/pdf":
            return "pdf"
        if data.startswith(b"PK\x03\x04"):
            return "zip"
    return None


def _unzip(name: str, data: bytes, limits: PartLimits, parts: Parts) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        parts.rejections.append(Rejection(name, "unsupported", f"not a readable ZIP archive ({exc})"))
        return
    with archive:
        problem = zip_problem(archive.infolist(), limits)
        if problem is not None:
            parts.rejections.append(Rejection(name, "too_large", problem))
            return
        found = _members(name, archive, limits, parts)
    if not found:
        parts.rejections.append(
            Rejection(name, "unsupported", "the archive holds no PDF or XML file, nor a scanned image")
        )


def zip_problem(members: list[zipfile.ZipInfo], limits: PartLimits) -> str | None:
    """Why an archive must not be unpacked, judged from its directory alone; None when it may."""
    if len(members) > limits.zip_max_members:
        return f"the archive has {len(members)} members; the limit is {limits.zip_max_members}"
    total = sum(info.file_size for info in members)
    if total > limits.zip_max_total_bytes:
        return f"the archive unpacks to {total} bytes; the limit is {limits.zip_max_total_bytes}"
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.zip_max_ratio:
            return (
                f"{info.filename} is compressed {ratio:.0f} to 1; the limit is {limits.zip_max_ratio:.0f} "
                "(a zip bomb?)"
            )
    return None


def _members(name: str, archive: zipfile.ZipFile, limits: PartLimits, parts: Parts) -> int:
    found = 0
    for info in archive.infolist():
        suffix = PurePosixPath(info.filename.lower()).suffix
        kind = "image" if suffix in _IMAGE_SUFFIXES else _BY_SUFFIX.get(suffix)
        if info.is_dir() or kind is None:
            continue
        found += 1
        label = f"{name}/{info.filename}"
        if kind == "zip":
            parts.rejections.append(
                Rejection(label, "unsupported", "archives inside archives are not opened")
            )
            continue
        _member(label, archive, info, limits, parts)
    return found


def _member(
    label: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: PartLimits, parts: Parts
) -> None:
    if info.flag_bits & 0x1:
        parts.rejections.append(Rejection(label, "unsupported", "the file is encrypted"))
        return
    if info.file_size > limits.max_file_bytes:
        reason = f"the file has {info.file_size} bytes; the limit is {limits.max_file_bytes}"
        parts.rejections.append(Rejection(label, "too_large", reason))
        return
    try:
        with archive.open(info) as member:
            # zipfile stops at the declared size and checks the CRC, so a lying header cannot
            # make this read grow past what was measured above.
            data = member.read(limits.max_file_bytes + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError) as exc:
        parts.rejections.append(Rejection(label, "unsupported", f"the file cannot be unpacked ({exc})"))
        return
    parts.attachments.append(Attachment(PurePosixPath(info.filename).name, data))
