"""Media types sniffed from content, never from the file name."""

from __future__ import annotations

from typing import Literal, get_args

MediaType = Literal["application/pdf", "application/xml"]
MEDIA_TYPES: tuple[MediaType, ...] = get_args(MediaType)

_XML_PREFIXES = (b"<?xml", b"<")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes) -> MediaType | None:
    """`application/pdf` or `application/xml` by magic bytes; None for anything else."""
    head = data[:1024]
    if b"%PDF-" in head:
        # Some generators put junk before the header; readers accept it within the first KiB.
        return "application/pdf"
    stripped = head
    for bom in _BOMS:
        if stripped.startswith(bom):
            stripped = stripped[len(bom) :]
            break
    stripped = stripped.lstrip()
    if stripped.startswith(_XML_PREFIXES) and not stripped.lower().startswith((b"<!doctype html", b"<html")):
        return "application/xml"
    return None
