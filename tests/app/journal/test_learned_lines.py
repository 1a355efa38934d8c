"""The invoice lines a person posted teach the learned line classifier (`app.journal.approved`,
`app.pipeline.steps.book.JournalClassifier`)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from agents.booking import propose
from app.journal.approved import BOOK_STEP, approved_count, approved_lines
from app.journal.models import JournalEntry
from app.journal.posting import post_booking, reverse_entry
from app.models import StepResult
from app.pipeline.steps.book import JournalClassifier
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy


def post(session: Session, number: str, text: str, actor: str = "key:test") -> JournalEntry:
    """Posts a one-line invoice as the pipeline does: its proposal stored beside the document."""
    invoice = make_invoice(number=number, lines=[(text, "10.00", "19", "S")])
    document = create_invoice_document(session, invoice=invoice)
    proposal = propose(invoice, skr03_policy())
    session.add(
        StepResult(
            document_id=document.id, step=BOOK_STEP, data={"proposal": proposal.model_dump(mode="json")}
        )
    )
    return post_booking(session, document, proposal, actor)


def test_only_standing_lines_a_person_posted_are_approved(session: Session) -> None:
    post(session, "1", "Kopierpapier")
    post(session, "2", "Porto", actor="system:pipeline")
    gone = post(session, "3", "Briefumschläge")
    reverse_entry(session, gone, actor="key:rev", reason="duplicate")
    assert approved_lines(session) == [("Kopierpapier", "4930")]
    assert approved_count(session) == 1


def test_the_classifier_is_trained_again_once_enough_new_entries_stand(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    classifier = JournalClassifier(skr03_policy(), session_factory, every=2)
    first = classifier()
    assert first is not None
    post(session, "1", "Kopierpapier")
    session.flush()
    assert classifier() is first
    post(session, "2", "Druckerpapier")
    session.flush()
    again = classifier()
    assert again is not None
    assert again is not first
    assert again.lines == first.lines + 2
