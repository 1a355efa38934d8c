"""Page images: rendered once per document, page and scale, and never larger than needed."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from app.errors import NotFoundError
from app.review import render
from tests.factories import text_pdf


def test_a_page_is_rendered_once_per_scale() -> None:
    pdf = text_pdf("cached", pages=2)
    loads: list[int] = []

    def load() -> bytes:
        loads.append(1)
        return pdf

    key = "test-cache-" + str(id(pdf))
    first = render.page_png(key, load, 2, 1.0)
    assert render.page_png(key, load, 2, 1.0) == first
    assert len(loads) == 1
    sharp = render.page_png(key, load, 2, 2.0)
    assert len(loads) == 2
    assert Image.open(io.BytesIO(sharp)).width == 2 * Image.open(io.BytesIO(first)).width


def test_the_cache_keeps_to_its_budget() -> None:
    cache = render.PageCache(max_bytes=10)
    cache.put(("a", 1, 1.0), b"123456")
    cache.put(("b", 1, 1.0), b"123456")
    assert cache.get(("a", 1, 1.0)) is None
    assert cache.get(("b", 1, 1.0)) == b"123456"


@pytest.mark.parametrize(("page", "scale"), [(0, 1.0), (2, 1.0), (1, 3.0)])
def test_pages_and_scales_that_do_not_exist_are_not_found(page: int, scale: float) -> None:
    with pytest.raises(NotFoundError):
        render.page_png("test-missing", text_pdf, page, scale)


def test_a_huge_page_is_rendered_no_larger_than_the_limit() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14400, 14400))  # 5 m square, the largest page PDF allows
    out = io.BytesIO()
    pdf.save(out)
    image = Image.open(io.BytesIO(render.render_png(out.getvalue(), 1, 2.0)))
    assert max(image.size) <= render.MAX_SIDE_PX
