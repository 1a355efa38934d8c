"""Reproducible scans made from PDFs, to measure OCR (`kontor eval --scan`).

Each page is rendered at 150 dpi in grey and degraded the way an office copier or a careless scan
does: turned 0.5-2 degrees either way, Gaussian blur (radius 0.7), noise (sigma 9), a 12 % light
gradient across the page, and saved as JPEG of quality 55-75. Every random choice comes from a
seed made of the caller's seed, the file name and the page number, so a corpus degrades the same
way on every run. `rotate` turns the finished scan by 90, 180 or 270 degrees (clockwise), as a page
fed in sideways or upside down.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

DPI = 150
BLUR_RADIUS = 0.7
NOISE_SIGMA = 9.0
GRADIENT = 0.12
JPEG_QUALITY = (55, 75)
ANGLE_DEGREES = (0.5, 2.0)

#: Renders page `index` (0-based) of a PDF at `dpi` as a grey image; the caller holds any PDFium lock.
PageRenderer = Callable[[bytes, int, int], Image.Image]


@dataclass(frozen=True)
class ScanPage:
    jpeg: bytes
    width_px: int
    height_px: int
    #: The small turn it got, degrees counter-clockwise (for reports).
    angle: float


def degrade_page(image: Image.Image, rng: np.random.Generator, rotate: int = 0) -> ScanPage:
    """One page image (rendered at `DPI`) as a degraded scan, then turned `rotate` degrees clockwise."""
    angle = float(rng.uniform(*ANGLE_DEGREES)) * (1 if rng.random() < 0.5 else -1)
    grey = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    grey = grey.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    pixels = np.asarray(grey, dtype=np.float32)
    pixels = pixels * _gradient(pixels.shape, rng) + rng.normal(0.0, NOISE_SIGMA, pixels.shape)
    grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    if rotate:
        grey = grey.rotate(-rotate, expand=True)
    quality = int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    out = io.BytesIO()
    grey.save(out, format="JPEG", quality=quality, dpi=(DPI, DPI))
    return ScanPage(out.getvalue(), grey.width, grey.height, angle)


def _gradient(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Light falling off by `GRADIENT` from one side of the page to the other (side chosen by the seed)."""
    height, width = shape[0], shape[1]
    horizontal = rng.random() < 0.5
    ramp = np.linspace(1.0, 1.0 - GRADIENT, width if horizontal else height, dtype=np.float32)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    return ramp[np.newaxis, :] if horizontal else ramp[:, np.newaxis]


def page_seed(seed: int, name: str, page: int) -> int:
    return zlib.crc32(f"{seed}:{name}:{page}".encode())


def scan_pdf(
    data: bytes, name: str, render: PageRenderer, page_count: int, *, seed: int = 0, rotate: int = 0
) -> bytes:
    """The PDF as a degraded scan: one JPEG per page, no text layer."""
    pages = []
    for index in range(page_count):
        rng = np.random.default_rng(page_seed(seed, name, index + 1))
        pages.append(degrade_page(render(data, index, DPI), rng, rotate))
    return images_to_pdf(pages)


def images_to_pdf(pages: list[ScanPage]) -> bytes:
    """A PDF with each JPEG as a full page at `DPI` (the JPEG is embedded as it is)."""
    import pikepdf

    pdf = pikepdf.new()
    for scan in pages:
        width_pt, height_pt = scan.width_px * 72 / DPI, scan.height_px * 72 / DPI
        image = pikepdf.Stream(pdf, scan.jpeg)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = scan.width_px, scan.height_px
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        image.Filter = pikepdf.Name.DCTDecode
        content = f"q {width_pt:.3f} 0 0 {height_pt:.3f} 0 0 cm /Im0 Do Q".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, width_pt, height_pt],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            Contents=pikepdf.Stream(pdf, content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
