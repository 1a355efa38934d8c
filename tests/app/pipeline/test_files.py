"""The command line takes what the service would take: a PDF or an e-invoice XML, by content."""

from __future__ import annotations

import pytest

from app.errors import EmptyUploadError, UnsupportedMediaError
from app.pipeline.files import media_type_of
from tests.agents.validation.crafted import craft_xml
from tests.factories import text_pdf


def test_pdfs_and_einvoices_are_taken_by_their_content() -> None:
    assert media_type_of(text_pdf("Rechnung 1")) == "application/pdf"
    assert media_type_of(craft_xml()) == "application/xml"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyUploadError),
        (b"<html><body>an invoice?</body></html>", UnsupportedMediaError),
        (b'<?xml version="1.0"?><order><id>1</id></order>', UnsupportedMediaError),
        (b"PK\x03\x04 a zip", UnsupportedMediaError),
    ],
)
def test_anything_else_is_refused_with_a_reason(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        media_type_of(data)
