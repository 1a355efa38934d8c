"""Pre-flight and PDF copy of image uploads: what is refused, with which reason, and what is made."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from app.config import LimitsSettings
from app.documents.intake import check_upload
from app.errors import CorruptDocumentError, ResourceLimitError, TooManyPagesError, UnsupportedMediaError
from app.scans.convert import A4, image_to_pdf
from app.scans.images import check_image
from tests.app.scans.images import encoded, plain, png_declaring, scan_of
from tests.factories import text_pdf

LIMITS = LimitsSettings()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(float(p.mediabox[2]), float(p.mediabox[3])) for p in document.pages]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_scans_are_sniffed_by_their_bytes_and_accepted(fmt: str) -> None:
    data = scan_of(text_pdf("Rechnung", pages=2), fmt)
    expected = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}[fmt]
    assert check_upload(data, max_bytes=10**8) == expected


def test_a_multi_page_tiff_becomes_one_pdf_page_per_frame_at_its_declared_size() -> None:
    data = scan_of(text_pdf("Rechnung", pages=3), "TIFF", dpi=150)

    frames = check_image(data, LIMITS)
    pages = _pages(image_to_pdf(data))

    assert len(frames) == len(pages) == 3
    # 150 dpi declared: the page is the size of the paper that was scanned (A4 here).
    assert all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in pages)


def test_a_photo_without_a_paper_size_is_fitted_into_a4() -> None:
    # 72 dpi declared on 3000 x 4000 pixels would be a 42 x 56 inch poster.
    pdf = image_to_pdf(plain((3000, 4000), "JPEG", dpi=72))
    ((width, height),) = _pages(pdf)
    assert max(width / A4[0], height / A4[1]) == pytest.approx(1.0, abs=0.01)
    assert width / height == pytest.approx(3000 / 4000, abs=0.01)


def test_the_pdf_copy_is_reproducible_and_keeps_the_jpeg_as_it_is() -> None:
    data = plain((900, 1200), "JPEG", colour=200, dpi=100)
    first, again = image_to_pdf(data), image_to_pdf(data)
    assert first == again
    with pikepdf.open(io.BytesIO(first)) as document:
        (image,) = document.pages[0].get_images().values()
        assert image.read_raw_bytes() == data  # embedded, not re-encoded


def test_a_pixel_bomb_is_refused_from_its_header() -> None:
    bomb = png_declaring(30_000, 30_000)  # a few hundred bytes declaring 900 megapixels
    assert len(bomb) < 100_000
    with pytest.raises(ResourceLimitError) as refused:
        check_image(bomb, LIMITS)
    assert "refused" in refused.value.message


def test_an_image_over_the_megapixel_limit_is_refused_with_its_size() -> None:
    with pytest.raises(ResourceLimitError) as refused:
        check_image(png_declaring(4000, 3000), LimitsSettings(max_image_megapixels=10))
    assert "4000 x 3000 pixels" in refused.value.message
    assert "10 megapixels" in refused.value.message


def test_pages_of_a_tiff_count_against_the_page_limit() -> None:
    tiff = encoded([Image.new("L", (50, 50)) for _ in range(4)], "TIFF")
    with pytest.raises(TooManyPagesError, match="4 pages; the limit is 3"):
        check_image(tiff, LimitsSettings(max_pages=3))


def test_all_pages_together_count_against_the_decoded_size_limit() -> None:
    tiff = encoded([Image.new("L", (1000, 1000)) for _ in range(3)], "TIFF", compression="tiff_lzw")
    with pytest.raises(ResourceLimitError, match="more than 10 MB"):
        check_image(tiff, LimitsSettings(max_image_mb=10))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_a_truncated_image_is_refused_as_damaged(fmt: str) -> None:
    data = scan_of(text_pdf("Rechnung abgeschnitten"), fmt)
    with pytest.raises(CorruptDocumentError, match=r"truncated or damaged|cannot be"):
        check_upload(data[: len(data) * 2 // 3], max_bytes=10**8)


def test_other_image_formats_are_unsupported() -> None:
    gif = io.BytesIO()
    Image.new("L", (10, 10)).save(gif, "GIF")
    with pytest.raises(UnsupportedMediaError, match="PNG, JPEG or TIFF"):
        check_upload(gif.getvalue(), max_bytes=10**8)
