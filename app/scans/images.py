"""Pre-flight of image uploads (PNG, JPEG, TIFF): refused before anything is stored when hostile.

A tiny file can declare a gigantic canvas (a pixel bomb: 50,000 x 50,000 pixels in a few KiB of PNG);
decoding it would take gigabytes. So the declared size of every frame is judged first, from the header
alone, against `limits.max_image_megapixels` (per page) and `limits.max_image_mb` (all pages, four bytes
a pixel, as for a PDF's images); only then is each frame decoded once, which finds truncated and damaged
files. Pillow's own decompression-bomb guard stays on behind ours.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from app.config import LimitsSettings
from app.errors import CorruptDocumentError, ResourceLimitError, TooManyPagesError

MB = 1024 * 1024
#: The formats Pillow may try; every other decoder stays out of reach of uploaded bytes.
FORMATS = ("PNG", "JPEG", "TIFF")
#: No side beyond this (pdfium and PDF viewers cap page sides near it; no scan comes close).
MAX_SIDE_PX = 60_000
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)
#: Pillow warns of some damage (corrupt EXIF, a short read) before it fails on it; where warnings are
#: errors, the warning is that failure.
_DAMAGED = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, UserWarning)


@dataclass(frozen=True)
class Frame:
    """One page of an image file as its header declares it; `dpi` is None when it declares none."""

    width: int
    height: int
    dpi: tuple[float, float] | None

    @property
    def pixels(self) -> int:
        return self.width * self.height


def check_image(data: bytes, limits: LimitsSettings) -> list[Frame]:
    """The frames of an acceptable image; raises an `UploadError` with the reason otherwise."""
    try:
        with _open(data) as image:
            frames = _declared_frames(image, limits)
            _decode_all(image, len(frames))
    except _BOMB as exc:  # Pillow's guard, behind ours: a canvas past twice its own limit
        raise ResourceLimitError(f"The image declares an enormous canvas ({exc}); refused.") from exc
    return frames


def _open(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=FORMATS)
    except _BOMB:
        raise
    except _DAMAGED as exc:
        raise CorruptDocumentError(f"The image is damaged and cannot be opened ({exc}).") from exc


def _declared_frames(image: Image.Image, limits: LimitsSettings) -> list[Frame]:
    count = getattr(image, "n_frames", 1)
    if count > limits.max_pages:
        raise TooManyPagesError(f"The image has {count} pages; the limit is {limits.max_pages}.")
    frames = []
    for index in range(count):
        _seek(image, index)
        frames.append(_frame(image, index + 1, limits))
    budget = limits.max_image_mb * MB
    if sum(frame.pixels * 4 for frame in frames) > budget:
        raise ResourceLimitError(
            f"The image's {count} pages would decode to more than {limits.max_image_mb} MB; refused."
        )
    return frames


def _frame(image: Image.Image, page: int, limits: LimitsSettings) -> Frame:
    width, height = image.size
    where = f"page {page} of the image" if getattr(image, "n_frames", 1) > 1 else "the image"
    if width <= 0 or height <= 0:
        raise CorruptDocumentError(f"{where.capitalize()} has no pixels ({width} x {height}).")
    megapixels = width * height / 1e6
    if megapixels > limits.max_image_megapixels or max(width, height) > MAX_SIDE_PX:
        raise ResourceLimitError(
            f"{where.capitalize()} is {width} x {height} pixels ({megapixels:,.0f} megapixels); the limit is "
            f"{limits.max_image_megapixels} megapixels a page and {MAX_SIDE_PX} pixels a side "
            "(a pixel bomb?); refused."
        )
    return Frame(width, height, _dpi(image))


def _dpi(image: Image.Image) -> tuple[float, float] | None:
    dpi: Any = image.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (x, y) if x > 0 and y > 0 else None


def _decode_all(image: Image.Image, count: int) -> None:
    for index in range(count):
        _seek(image, index)
        try:
            image.load()
        except _BOMB:
            raise
        except _DAMAGED as exc:
            where = f"Page {index + 1} of the image" if count > 1 else "The image"
            raise CorruptDocumentError(f"{where} is truncated or damaged ({exc}).") from exc


def _seek(image: Image.Image, index: int) -> None:
    try:
        image.seek(index)
    except _BOMB:
        raise
    except _DAMAGED as exc:
        raise CorruptDocumentError(f"Page {index + 1} of the image cannot be read ({exc}).") from exc
