"""Mail gets the same pre-flight as uploads, with the settings' limits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.mail.message import handle_message
from app.models import Document
from tests import hostile
from tests.app.mail.messages import as_bytes, attach_pdf, mail, unique_pdf
from tests.conftest import make_settings
from tests.factories import text_pdf


def test_a_hostile_attachment_is_refused_and_its_neighbour_kept(
    session: Session, tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url, limits={"max_pages": 2})
    message = mail()
    attach_pdf(message, hostile.decompression_bomb("content"), "bomb.pdf")
    attach_pdf(message, text_pdf("drei Seiten", pages=3), "long.pdf")
    attach_pdf(message, unique_pdf(), "rechnung.pdf")
    handled = handle_message(session, as_bytes(message), source="test", settings=settings)
    assert len(handled.created) == 1
    assert handled.reason is not None
    assert "bomb.pdf" in handled.reason
    assert "decompression bomb" in handled.reason
    assert "long.pdf" in handled.reason
    assert "3 pages; the limit is 2" in handled.reason
    assert session.scalar(select(func.count()).select_from(Document)) == 1
