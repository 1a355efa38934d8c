"""Page images for the review page: PDF pages rendered to PNG on the server, never the PDF in the browser.

Images are cached in memory per (document content, page, scale). Documents are content-addressed and
immutable, so a cached image never goes stale; the SHA-256 rather than the id keys it, because ids
are local to one database.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable

import pypdfium2

from agents.reading.pdfium import PDFIUM_LOCK
from app.errors import NotFoundError

#: The scales a client may ask for: 1 for a quick look, 2 for sharp text on high-density screens.
SCALES = (1.0, 2.0)
DEFAULT_SCALE = 2.0
#: No side of an image gets longer than this, whatever the page size (a poster-sized page stays cheap).
MAX_SIDE_PX = 2400
CACHE_BYTES = 64 * 1024 * 1024

ContentLoader = Callable[[], bytes]

# PDFium is not thread-safe: every call into it, from any request thread, goes through this lock.


class PageCache:
    """A least-recently-used cache of PNG bytes with a size budget."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, int, float], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, float]) -> bytes | None:
        with self._lock:
            png = self._items.get(key)
            if png is not None:
                self._items.move_to_end(key)
            return png

    def put(self, key: tuple[str, int, float], png: bytes) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = png
            self._size += len(png)
            while self._size > self.max_bytes and len(self._items) > 1:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


_cache = PageCache()


def page_png(sha256: str, load: ContentLoader, page: int, scale: float = DEFAULT_SCALE) -> bytes:
    """Page `page` (1-based) of the PDF as PNG; `load` is called only when the image is not cached."""
    if scale not in SCALES:
        raise NotFoundError(f"Pages are rendered at scale {' or '.join(str(s) for s in SCALES)}.")
    key = (sha256, page, scale)
    png = _cache.get(key)
    if png is None:
        png = render_png(load(), page, scale)
        _cache.put(key, png)
    return png


def cached_png(key: tuple[str, int, float], make: Callable[[], bytes]) -> bytes:
    """The PNG cached under `key`, made by `make` when it is not (keys must name all that shapes it)."""
    png = _cache.get(key)
    if png is None:
        png = make()
        _cache.put(key, png)
    return png


def render_png(content: bytes, page: int, scale: float) -> bytes:
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(content)
        try:
            if not 1 <= page <= len(pdf):
                raise NotFoundError(f"The document has no page {page}.")
            pdf_page = pdf[page - 1]
            width, height = pdf_page.get_size()
            fitted = min(scale, MAX_SIDE_PX / max(width, height, 1.0))
            image = pdf_page.render(scale=fitted, draw_annots=True).to_pil()
        finally:
            pdf.close()
    out = io.BytesIO()
    # Fast compression: the image is made while a person waits, and it travels on a local network.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def page_sizes(content: bytes) -> list[tuple[float, float]]:
    """Width and height in PDF points of every page (for documents without a `read` result)."""
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(content)
        try:
            return [pdf[i].get_size() for i in range(len(pdf))]
        finally:
            pdf.close()
