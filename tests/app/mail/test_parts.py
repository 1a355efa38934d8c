"""Finding invoice parts, and refusing archives that would unpack into a disaster."""

from __future__ import annotations

import io
import random
import zipfile
from email.message import EmailMessage

import pytest

from app.mail.message import parse
from app.mail.parts import PartLimits, classify, extract_parts
from tests.app.mail.messages import attach_pdf, mail, unique_pdf, zip_of

LIMITS = PartLimits(
    max_depth=3,
    max_file_bytes=1024 * 1024,
    zip_max_members=5,
    zip_max_total_bytes=4 * 1024 * 1024,
    zip_max_ratio=50,
)


def _with_zip(archive: bytes, filename: str = "r.zip") -> EmailMessage:
    message = mail()
    message.add_attachment(archive, maintype="application", subtype="zip", filename=filename)
    return message


@pytest.mark.parametrize(
    ("content_type", "filename", "data", "kind"),
    [
        ("application/pdf", None, b"", "pdf"),
        ("application/octet-stream", "RE.PDF", b"", "pdf"),
        ("application/octet-stream", None, b"%PDF-1.7 ...", "pdf"),
        ("application/octet-stream", None, b"PK\x03\x04...", "zip"),
        ("application/octet-stream", None, b"MZ...", None),
        ("text/xml", None, b"<x/>", "xml"),
        ("application/x-zip-compressed", None, b"", "zip"),
        ("text/plain", "notes.txt", b"%PDF-", None),
        ("image/png", "logo.png", b"", None),
    ],
)
def test_parts_are_recognised_by_name_type_or_bytes(
    content_type: str, filename: str | None, data: bytes, kind: str | None
) -> None:
    assert classify(content_type, filename, data) == kind


def test_forwarded_messages_are_opened_down_to_the_depth_limit() -> None:
    inner = attach_pdf(mail(), unique_pdf())
    for _ in range(LIMITS.max_depth):
        outer = mail()
        outer.add_attachment(inner)
        inner = outer

    assert len(extract_parts(parse(inner.as_bytes()), LIMITS).attachments) == 1

    too_deep = mail()
    too_deep.add_attachment(inner)
    parts = extract_parts(parse(too_deep.as_bytes()), LIMITS)
    assert parts.attachments == []
    assert "forwarded messages" in parts.rejections[0].reason


def test_an_archive_with_too_many_members_is_not_opened() -> None:
    archive = zip_of({f"r{i}.pdf": b"%PDF-" for i in range(LIMITS.zip_max_members + 1)})

    parts = extract_parts(parse(_with_zip(archive).as_bytes()), LIMITS)

    assert parts.attachments == []
    assert [(r.kind, "members" in r.reason) for r in parts.rejections] == [("too_large", True)]


def test_an_archive_that_unpacks_past_the_total_limit_is_not_opened() -> None:
    # Random bytes do not compress: the total, not the ratio, is what trips.
    chunk = _noise(2 * 1024 * 1024)
    archive = zip_of({"a.pdf": chunk, "b.pdf": chunk, "c.pdf": chunk})

    parts = extract_parts(parse(_with_zip(archive).as_bytes()), LIMITS)

    assert parts.attachments == []
    assert "unpacks to" in parts.rejections[0].reason


def test_a_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    archive = zip_of({"rechnung.pdf": b"\0" * (3 * 1024 * 1024)})

    parts = extract_parts(parse(_with_zip(archive).as_bytes()), LIMITS)

    assert parts.attachments == []
    assert "zip bomb" in parts.rejections[0].reason


def test_archive_members_keep_their_names_and_skip_other_files() -> None:
    pdf = unique_pdf()
    archive = zip_of({"2026/11/rechnung.pdf": pdf, "readme.txt": b"x", "inner.zip": zip_of({"a.pdf": pdf})})

    parts = extract_parts(parse(_with_zip(archive).as_bytes()), LIMITS)

    assert [(a.filename, a.data) for a in parts.attachments] == [("rechnung.pdf", pdf)]
    assert [r.reason for r in parts.rejections] == ["archives inside archives are not opened"]


def test_a_damaged_or_empty_archive_is_unsupported() -> None:
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    message = _with_zip(b"PK\x03\x04garbage", "broken.zip")
    message.add_attachment(empty.getvalue(), maintype="application", subtype="zip", filename="empty.zip")

    parts = extract_parts(parse(message.as_bytes()), LIMITS)

    assert [r.kind for r in parts.rejections] == ["unsupported", "unsupported"]
    assert "no PDF or XML" in parts.rejections[1].reason


def test_a_member_larger_than_the_upload_limit_is_too_large() -> None:
    archive = zip_of({"big.pdf": _noise(2 * 1024 * 1024)})  # against a 1 MiB limit

    limits = PartLimits(**{**LIMITS.__dict__, "zip_max_total_bytes": 10 * 1024 * 1024})
    parts = extract_parts(parse(_with_zip(archive).as_bytes()), limits)

    assert [(r.kind, "limit is 1048576" in r.reason) for r in parts.rejections] == [("too_large", True)]


def _noise(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def test_the_body_of_a_plain_message_is_no_attachment() -> None:
    message = mail(body="%PDF- sieht aus wie ein PDF, ist aber Text")
    message.add_alternative("<p>Hallo</p>", subtype="html")

    parts = extract_parts(parse(message.as_bytes()), LIMITS)

    assert (parts.attachments, parts.rejections) == ([], [])
