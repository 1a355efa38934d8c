"""Posting to the journal: creditor numbers, entries from proposals, reversals, corrections, vendor history.

Services only flush; the caller's session boundary commits. Every posting, reversal and correction writes
an audit event. Nothing here updates or deletes a posted row (the database would refuse it anyway).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agents.booking.accounts import VendorHistory
from agents.booking.entries import build_postings, cents, reversed_postings
from agents.booking.errors import BookingError
from app.attributes import from_attributes
from app.errors import ConflictError
from app.journal.models import Creditor, EntryKind, JournalEntry, JournalLine, PostingRole, Side
from app.models import AuditEvent, Document
from app.vendors.directory import find_vendor, vendor_for
from schemas.booking import BookingProposal, Posting, VendorRef

#: Actors whose postings are Kontor's own decisions, not a person's.
MACHINE_ACTORS = ("system:",)
#: Creditor numbers start here (times ten per account digit beyond four): DATEV's 70000-99999.
CREDITOR_BASE = 7


def creditor_range(account_length: int) -> tuple[int, int]:
    """DATEV personal accounts have one digit more than the general ledger accounts."""
    return CREDITOR_BASE * 10**account_length + 1, 10 ** (account_length + 1) - 1


def find_creditor(session: Session, vendor: VendorRef) -> Creditor | None:
    """The creditor account of the vendor's seller, if it has one (matched as `find_vendor` matches)."""
    found = find_vendor(session, vendor)
    return found.creditor if found is not None else None


def creditor_for(session: Session, vendor: VendorRef, *, account_length: int) -> Creditor:
    """The vendor's creditor account; a vendor without one gets the next free number."""
    found = find_creditor(session, vendor)
    if found is not None:
        return found
    if not (vendor.name or vendor.vat_id or vendor.tax_number):
        raise BookingError("The vendor is unknown: no name, VAT ID or tax number.")
    first, last = creditor_range(account_length)
    for _attempt in range(5):
        highest = session.scalar(
            select(func.max(Creditor.number)).where(Creditor.number.between(first, last))
        )
        number = (highest or first - 1) + 1
        if number > last:
            raise BookingError(f"All creditor numbers up to {last} are taken.")
        try:
            with session.begin_nested():
                creditor = Creditor(number=number, vendor=vendor_for(session, vendor))
                session.add(creditor)
                session.flush()
            return creditor
        except IntegrityError:
            continue  # another worker took the number (or added the vendor) meanwhile
    raise ConflictError("Could not assign a creditor number; try again.")


def live_entry(session: Session, document_id: int) -> JournalEntry | None:
    """The document's entry that stands: posted or corrected, and not reversed."""
    reversed_ids = select(JournalEntry.reverses_id).where(JournalEntry.reverses_id.is_not(None))
    query = (
        select(JournalEntry)
        .where(JournalEntry.document_id == document_id, JournalEntry.kind != EntryKind.REVERSAL)
        .where(JournalEntry.id.not_in(reversed_ids))
        .order_by(JournalEntry.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def post_booking(session: Session, document: Document, proposal: BookingProposal, actor: str) -> JournalEntry:
    """Post `proposal` for `document`: the creditor, the balanced entry, the audit event.

    Raises `BookingError` when the proposal has blocking problems or does not balance, and
    `ConflictError` when the document already has a standing entry.
    """
    if proposal.blocking:
        raise BookingError("Cannot post: " + " ".join(p.message for p in proposal.blocking))
    if live_entry(session, document.id) is not None:
        raise ConflictError(f"Document {document.id} is already posted; correct its entry instead.")
    creditor = creditor_for(session, proposal.vendor, account_length=len(proposal.payable_account))
    entry = _entry(document.id, proposal, creditor, EntryKind.INVOICE, actor)
    session.add(entry)
    session.flush()
    _audit(session, actor, "journal.post", entry, {"creditor": creditor.number})
    return entry


def _entry(
    document_id: int, proposal: BookingProposal, creditor: Creditor, kind: EntryKind, actor: str, **links: int
) -> JournalEntry:
    postings = build_postings(proposal, str(creditor.number))
    # build_postings refused a proposal without them; a blocking problem flags a missing date.
    assert proposal.gross_amount is not None
    assert proposal.document_date is not None
    gross = -proposal.gross_amount if proposal.credit_note else proposal.gross_amount
    foreign = proposal.foreign_gross_amount if proposal.exchange_rate is not None else None
    if foreign is not None and proposal.credit_note:
        foreign = -foreign
    return JournalEntry(
        document_id=document_id,
        creditor_id=creditor.id,
        kind=kind,
        document_number=(proposal.document_number or "")[:36],
        # A correction keeps the invoice's date: the VAT period follows the document, not the fix.
        document_date=proposal.document_date,
        service_date=proposal.service_date,
        due_date=proposal.due_date,
        text=postings[0].text,
        currency=(proposal.currency or "EUR")[:3] if foreign is not None else "EUR",
        gross_cents=cents(gross),
        exchange_rate=str(proposal.exchange_rate) if foreign is not None else None,
        foreign_gross_cents=cents(foreign) if foreign is not None else None,
        chart=proposal.chart,
        posted_by=actor,
        lines=_lines(postings),
        **links,
    )


def _lines(postings: list[Posting]) -> list[JournalLine]:
    return [
        JournalLine(
            position=position,
            account=p.account,
            side=Side(p.side),
            amount_cents=cents(p.amount),
            role=PostingRole(p.role),
            tax_key=p.tax_key,
            tax_cents=cents(p.tax_amount),
            text=p.text,
        )
        for position, p in enumerate(postings, start=1)
    ]


def _postings(entry: JournalEntry) -> list[Posting]:
    return [
        from_attributes(Posting, line, side=line.side.value, role=line.role.value) for line in entry.lines
    ]


def reversal_of(session: Session, entry_id: int) -> JournalEntry | None:
    return session.scalar(select(JournalEntry).where(JournalEntry.reverses_id == entry_id))


#: What a Storno takes over from the entry it reverses; the amounts it takes negated.
KEPT_BY_REVERSAL = (
    "document_id",
    "creditor_id",
    "document_number",
    "document_date",
    "service_date",
    "due_date",
    "currency",
    "exchange_rate",
    "chart",
)


def reverse_entry(session: Session, entry: JournalEntry, *, actor: str, reason: str) -> JournalEntry:
    """A Storno: the same lines on the other side, linked to the original.

    It keeps the original's Belegdatum, so it lands in the same VAT period (DATEV exports it as a
    Generalumkehr of the original rows); `posted_at` records when it was made.
    """
    if entry.kind == EntryKind.REVERSAL:
        raise ConflictError("A reversal is not reversed again; correct the original entry.")
    if reversal_of(session, entry.id) is not None:
        raise ConflictError(f"Journal entry {entry.id} has been reversed already.")
    reversal = JournalEntry(
        **{name: getattr(entry, name) for name in KEPT_BY_REVERSAL},
        kind=EntryKind.REVERSAL,
        text=f"Storno {entry.text}"[:60],
        gross_cents=-entry.gross_cents,
        foreign_gross_cents=-entry.foreign_gross_cents if entry.foreign_gross_cents is not None else None,
        posted_by=actor,
        reverses_id=entry.id,
        lines=_lines(reversed_postings(_postings(entry))),
    )
    session.add(reversal)
    session.flush()
    _audit(session, actor, "journal.reverse", reversal, {"reverses": entry.id, "reason": reason})
    return reversal


def correct_entry(
    session: Session, entry: JournalEntry, proposal: BookingProposal, *, actor: str, reason: str
) -> tuple[JournalEntry, JournalEntry]:
    """Reverse `entry` and post `proposal` in its place; returns (reversal, correction)."""
    if proposal.blocking:
        raise BookingError("Cannot post: " + " ".join(p.message for p in proposal.blocking))
    reversal = reverse_entry(session, entry, actor=actor, reason=reason)
    creditor = creditor_for(session, proposal.vendor, account_length=len(proposal.payable_account))
    correction = _entry(
        entry.document_id, proposal, creditor, EntryKind.CORRECTION, actor, corrects_id=entry.id
    )
    session.add(correction)
    session.flush()
    _audit(session, actor, "journal.correct", correction, {"corrects": entry.id, "reason": reason})
    return reversal, correction


def _audit(session: Session, actor: str, action: str, entry: JournalEntry, extra: dict[str, object]) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            document_id=entry.document_id,
            after={"entry_id": entry.id, "gross": str(entry.gross_amount), **extra},
        )
    )
    session.flush()


def vendor_history(session: Session, vendor: VendorRef) -> VendorHistory:
    """Per expense account, how many of the vendor's standing entries used it (and how many of those a
    person posted)."""
    creditor = find_creditor(session, vendor)
    if creditor is None:
        return VendorHistory()
    reversed_ids = select(JournalEntry.reverses_id).where(JournalEntry.reverses_id.is_not(None))
    rows = session.execute(
        select(JournalLine.entry_id, JournalLine.account, JournalEntry.posted_by)
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(JournalEntry.creditor_id == creditor.id, JournalEntry.kind != EntryKind.REVERSAL)
        .where(JournalEntry.id.not_in(reversed_ids), JournalLine.role == PostingRole.EXPENSE)
        .distinct()
    ).all()
    accounts = Counter(account for _entry_id, account, _by in rows)
    confirmed = Counter(account for _entry_id, account, by in rows if not by.startswith(MACHINE_ACTORS))
    entries = len({entry_id for entry_id, _account, _by in rows})
    return VendorHistory(accounts=dict(accounts), entries=entries, confirmed=dict(confirmed))
