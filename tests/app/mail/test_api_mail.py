from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.mail.models import MailMessage, Outcome
from tests.factories import create_document


def _seed(session: Session) -> None:
    document = create_document(session)
    for i, outcome in enumerate([Outcome.INGESTED, Outcome.NO_ATTACHMENT, Outcome.FAILED, Outcome.INGESTED]):
        row = MailMessage(
            source="imap", message_key=f"<{i}@x>", outcome=outcome, attempts=1, sender={"from": f"{i}@x"}
        )
        if outcome == Outcome.INGESTED:
            row.documents = [document]
        if outcome == Outcome.FAILED:
            row.reason = "ValueError: kaputt"
        session.add(row)
    session.flush()


def test_the_ledger_is_listed_newest_first_with_documents(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    _seed(session)

    body = client.get("/v1/mail/messages", headers=reviewer).json()

    assert [item["message_key"] for item in body["items"]] == ["<3@x>", "<2@x>", "<1@x>", "<0@x>"]
    assert body["items"][0]["document_ids"]
    assert body["items"][0]["sender"] == {"from": "3@x"}
    assert body["items"][1]["reason"] == "ValueError: kaputt"
    assert body["next_cursor"] is None


def test_the_ledger_filters_by_outcome_and_pages(
    client: TestClient, session: Session, reviewer: dict[str, str]
) -> None:
    _seed(session)

    first = client.get(
        "/v1/mail/messages", params={"outcome": "ingested", "limit": 1}, headers=reviewer
    ).json()
    second = client.get(
        "/v1/mail/messages",
        params={"outcome": "ingested", "limit": 1, "cursor": first["next_cursor"]},
        headers=reviewer,
    ).json()

    assert [i["message_key"] for i in first["items"] + second["items"]] == ["<3@x>", "<0@x>"]
    assert second["next_cursor"] is None


def test_the_ledger_is_for_reviewers(client: TestClient, uploader: dict[str, str]) -> None:
    response = client.get("/v1/mail/messages", headers=uploader)

    assert response.status_code == 403


def test_a_bad_cursor_or_outcome_is_refused(client: TestClient, reviewer: dict[str, str]) -> None:
    assert client.get("/v1/mail/messages", params={"cursor": "###"}, headers=reviewer).status_code == 400
    assert client.get("/v1/mail/messages", params={"outcome": "lost"}, headers=reviewer).status_code == 422
