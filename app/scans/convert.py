"""An image upload as a PDF: the copy that is read, shown and archived beside the exact uploaded bytes.

img2pdf embeds JPEG (and JPEG 2000, CCITT fax TIFF) data as it is and PNG data without re-encoding
where the PDF format allows: nothing is lost and nothing is recompressed. The result is reproducible
(no creation date), so the same upload always gives the same copy.

Every page gets a physical size, because the reader renders pages at a fixed resolution (300 dpi for
OCR): an image keeps the size its resolution declares when that is a plausible paper size; a phone
photo (72 dpi or none, 4000 pixels wide: a poster) is fitted into A4 instead, so a 300 dpi rendering
of it has about the pixels it has.
"""

from __future__ import annotations

import logging

import img2pdf

from app.errors import CorruptDocumentError

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0
A4 = (595.276, 841.89)
#: Long sides between a postcard and a little over A3 count as paper; outside, the image is fitted to A4.
PAPER_LONG_SIDE = (288.0, 1300.0)
#: Resolutions a scanner or a careful export would declare.
PLAUSIBLE_DPI = (70.0, 1300.0)

Layout = tuple[float, float, float, float]


def image_to_pdf(data: bytes) -> bytes:
    """The PDF of every page of a PNG, JPEG or TIFF (already through `check_image`)."""
    try:
        pdf: bytes = img2pdf.convert(
            data, layout_fun=page_layout, rotation=img2pdf.Rotation.ifvalid, nodate=True
        )
    except (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, ValueError, OSError) as exc:
        raise CorruptDocumentError(f"The image cannot be turned into a PDF page ({exc}).") from exc
    return pdf


def page_layout(width_px: int, height_px: int, dpi: tuple[float, float] | None) -> Layout:
    """img2pdf's layout function: page width and height, image width and height, in points."""
    size = _declared_size(width_px, height_px, dpi)
    if size is None:
        size = _fitted_to_a4(width_px, height_px)
    width, height = size
    return width, height, width, height


def _declared_size(
    width_px: int, height_px: int, dpi: tuple[float, float] | None
) -> tuple[float, float] | None:
    if not dpi or not all(PLAUSIBLE_DPI[0] <= d <= PLAUSIBLE_DPI[1] for d in dpi):
        return None
    width, height = width_px / dpi[0] * POINTS_PER_INCH, height_px / dpi[1] * POINTS_PER_INCH
    if not PAPER_LONG_SIDE[0] <= max(width, height) <= PAPER_LONG_SIDE[1]:
        return None
    return width, height


def _fitted_to_a4(width_px: int, height_px: int) -> tuple[float, float]:
    # A landscape image goes onto a landscape A4; the aspect ratio is always kept.
    page_w, page_h = A4 if height_px >= width_px else (A4[1], A4[0])
    scale = min(page_w / width_px, page_h / height_px)
    return width_px * scale, height_px * scale
