"""Media types sniffed from content, never from the file name."""

from __future__ import annotations

from typing import Literal, get_args

MediaType = Literal["application/pdf", "application/xml", "image/png", "image/jpeg", "image/tiff"]
MEDIA_TYPES: tuple[MediaType, ...] = get_args(MediaType)
ImageType = Literal["image/png", "image/jpeg", "image/tiff"]
IMAGE_TYPES: tuple[ImageType, ...] = get_args(ImageType)

_XML_PREFIXES = (b"<?xml", b"<")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
#: Only classic TIFF: BigTIFF (`II+\0`) is refused, Pillow reads it poorly and no scanner needs it.
_IMAGE_MAGIC: tuple[tuple[bytes, ImageType], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff(data: bytes) -> MediaType | None:
    """The media type by magic bytes (PDF, XML, PNG, JPEG, TIFF); None for anything else."""
    image = sniff_image(data)
    if image is not None:
        # Before the PDF test: an image's metadata may well hold `%PDF-` in its first KiB.
        return image
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


def sniff_image(data: bytes) -> ImageType | None:
    """PNG, JPEG or TIFF by their signature; None for anything else."""
    return next((kind for magic, kind in _IMAGE_MAGIC if data.startswith(magic)), None)


def is_image(media_type: str) -> bool:
    return media_type in IMAGE_TYPES
