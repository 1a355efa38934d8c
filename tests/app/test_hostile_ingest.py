"""Hostile uploads refused by the pre-flight at ingest: the right status and reason, nothing stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Document
from tests import hostile

Case = tuple[Callable[[], bytes], str, int, str]

REFUSED: dict[str, Case] = {
    **{
        f"bomb-{v}": (lambda v=v: hostile.decompression_bomb(v), "b.pdf", 400, "resource_limit")  # type: ignore[misc]
        for v in ("content", "form", "split", "ascii85")
    },
    **{
        f"pages-{n}": (lambda n=n: hostile.page_bomb(n), "p.pdf", 400, "too_many_pages")  # type: ignore[misc]
        for n in (201, 1000, 2500)
    },
    **{
        f"deep-{v}": (lambda v=v: hostile.deep_xml(v), "d.xml", 400, "invalid_xml")  # type: ignore[misc]
        for v in ("100k_deep", "300_deep", "just_over_limit")
    },
    **{
        f"doctype-{v}": (lambda v=v: hostile.doctype_xml(v), "x.xml", 400, "invalid_xml")  # type: ignore[misc]
        for v in ("xxe", "billion_laughs", "external_dtd", "utf16_xxe")
    },
    **{
        f"encoding-{v}": (lambda v=v: hostile.bad_encoding_xml(v), "e.xml", 400, "invalid_xml")  # type: ignore[misc]
        for v in ("invalid_utf8", "latin1_bytes_as_utf8", "overlong_utf8")
    },
    "encoding-declared_latin1": (
        lambda: hostile.bad_encoding_xml("declared_latin1"),
        "e.xml",
        415,
        "unsupported_media_type",
    ),
    **{
        f"encrypted-{v}": (lambda v=v: hostile.encrypted(v), "c.pdf", 400, "encrypted_document")  # type: ignore[misc]
        for v in ("aes256_user", "aes128_user", "rc4_user")
    },
    **{
        f"truncated-{v}": (lambda v=v: hostile.truncated(v), "t.pdf", 400, "corrupt_document")  # type: ignore[misc]
        for v in ("half", "header_only")
    },
    **{
        f"renamed-{v}": (lambda v=v: hostile.renamed_archive(v), "r.pdf", 415, "unsupported_media_type")  # type: ignore[misc]
        for v in ("zip_deflated", "zip_stored", "pdf_zip_polyglot", "gzip")
    },
}


def stored_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_hostile_upload_is_refused_at_once(
    client: TestClient, uploader: dict[str, str], session: Session, case: Case
) -> None:
    make, filename, status, error = case
    response = client.post("/v1/documents", headers=uploader, files={"file": (filename, make())})
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert response.json()["detail"]
    assert stored_documents(session) == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda: hostile.encrypted("owner_only"),  # restricted permissions, no password: readable
        lambda: hostile.truncated("before_xref"),  # pdfium repairs it; the sandboxed read decides
        lambda: hostile.text_bomb("one_string"),  # a text bomb is cheap to store; the read caps it
        lambda: hostile.page_bomb(200),  # at the page limit, not over it
    ],
    ids=["owner-only-encryption", "truncated-before-xref", "text-bomb", "200-pages"],
)
def test_what_the_pre_flight_cannot_judge_is_accepted(
    client: TestClient, uploader: dict[str, str], session: Session, make: Callable[[], bytes]
) -> None:
    response = client.post("/v1/documents", headers=uploader, files={"file": ("ok.pdf", make())})
    assert response.status_code == 201, response.text
    assert stored_documents(session) == 1
