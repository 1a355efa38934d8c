"""The mail view: a message nothing was stored from is listed with the reason."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from app.mail import ledger
from app.mail.message import handle_message
from app.review.models import User
from tests.app.mail.messages import as_bytes, attach_pdf, mail, unique_pdf
from tests.app.review.conftest import log_in


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


def _ingest(session: Session, settings: Settings, raw: bytes, key: str) -> int:
    row = ledger.claim(session, "inbox", key)
    ledger.record(session, row, handle_message(session, raw, source="inbox", settings=settings))
    session.flush()
    return row.id


def test_a_mail_without_an_attachment_shows_with_its_reason(
    client: TestClient, session: Session, settings: Settings, csrf: str
) -> None:
    bare = _ingest(session, settings, as_bytes(mail(subject="Nur ein Gruß")), "<bare@muster.example>")
    with_pdf = mail(subject="Rechnung 12")
    attach_pdf(with_pdf, unique_pdf())
    stored = _ingest(session, settings, as_bytes(with_pdf), "<pdf@muster.example>")
    page = client.get("/review/mail")
    assert page.status_code == 200
    assert "Nur ein Gruß" in page.text
    assert "no PDF or e-invoice attachment" in page.text
    problems = client.get("/review/mail", params={"outcome": "problems"}).text
    assert f'data-message="{bare}"' in problems
    assert f'data-message="{stored}"' not in problems
    assert f'data-message="{stored}"' in client.get("/review/mail", params={"outcome": "ingested"}).text
