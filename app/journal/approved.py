"""The invoice lines a person posted, with their accounts: what the learned line classifier learns from
(`agents.booking.learned`). The journal keeps the entry's Buchungstext, not the lines' descriptions, so they
come from the booking proposal stored beside the document, each line kept only when its account is one the
entry posted."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.journal.models import EntryKind, JournalEntry, JournalLine, PostingRole
from app.journal.posting import MACHINE_ACTORS
from app.models import StepResult

#: The pipeline step whose stored result holds the booking proposal.
BOOK_STEP = "book"


def approved_count(session: Session) -> int:
    """How many standing entries a person posted: it changes when a person posts or reverses."""
    return session.scalar(select(func.count(JournalEntry.id)).where(*_standing())) or 0


def approved_lines(session: Session, limit: int = 5_000) -> list[tuple[str, str]]:
    """(line description, expense account) of the newest `limit` standing entries a person posted."""
    entries = dict(
        session.execute(
            select(JournalEntry.id, JournalEntry.document_id)
            .where(*_standing())
            .order_by(JournalEntry.id.desc())
            .limit(limit)
        ).all()
    )
    posted: dict[int, set[str]] = defaultdict(set)
    for entry_id, account in session.execute(
        select(JournalLine.entry_id, JournalLine.account).where(
            JournalLine.entry_id.in_(entries), JournalLine.role == PostingRole.EXPENSE
        )
    ):
        posted[entries[entry_id]].add(account)
    stored = session.execute(
        select(StepResult.document_id, StepResult.data).where(
            StepResult.step == BOOK_STEP, StepResult.document_id.in_(posted)
        )
    ).all()
    return [line for document_id, data in stored for line in _lines(data, posted[document_id])]


def _lines(data: dict[str, Any], accounts: set[str]) -> list[tuple[str, str]]:
    lines = (data.get("proposal") or {}).get("lines") or []
    found = [
        (line.get("description") or "", (line.get("account") or {}).get("account", "")) for line in lines
    ]
    return [(text, account) for text, account in found if text and account in accounts]


def _standing() -> tuple[ColumnElement[bool], ...]:
    reversed_ids = select(JournalEntry.reverses_id).where(JournalEntry.reverses_id.is_not(None))
    return (
        JournalEntry.kind != EntryKind.REVERSAL,
        JournalEntry.id.not_in(reversed_ids),
        ~JournalEntry.posted_by.startswith(MACHINE_ACTORS[0]),
    )
