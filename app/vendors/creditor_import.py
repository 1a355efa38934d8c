"""Taking over the advisor's creditor numbers: a list (number, name, VAT ID) maps Kontor's creditors to the
accounts that already exist in the advisor's DATEV data.

The list is either a plain CSV (`number;name;vat_id`, a header row, `;` or `,`) or DATEV's own
Debitoren/Kreditoren export (EXTF category 16). Each row is matched to a Kontor vendor by VAT ID, else by
name (legal form aside); the vendor's creditor account takes the advisor's number, a vendor without an
account gets one with it, and a row without a vendor becomes a vendor of its own (with no approved invoice
yet), so the seller's next invoice is booked to it. Numbers taken by another creditor are left alone and
reported. Services only flush; the caller commits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import KontorError
from app.journal.export_ledger import DatevBatchEntry
from app.journal.models import Creditor, JournalEntry
from app.journal.posting import CREDITOR_BASE
from app.models import AuditEvent
from app.vendors.directory import find_vendor, vendor_for
from schemas.booking import VendorRef


class CreditorListError(KontorError):
    status_code = 400
    error = "bad_creditor_list"


@dataclass(frozen=True)
class AdvisorCreditor:
    number: int
    name: str
    vat_id: str = ""


@dataclass
class ImportResult:
    renumbered: list[tuple[int, int]] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_creditor_list(data: bytes) -> list[AdvisorCreditor]:
    """Rows of a plain CSV or an EXTF Debitoren/Kreditoren file; raises `CreditorListError`."""
    text = _decode(data)
    lines = text.splitlines()
    if lines and lines[0].startswith(('"EXTF"', "EXTF")):
        return _rows(csv.DictReader(io.StringIO("\n".join(lines[1:])), delimiter=";"), _extf_row)
    delimiter = ";" if ";" in (lines[0] if lines else "") else ","
    return _rows(csv.DictReader(io.StringIO(text), delimiter=delimiter), _plain_row)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # DATEV's own files


def _plain_row(row: dict[str, str]) -> AdvisorCreditor:
    return AdvisorCreditor(
        int(row["number"]), (row.get("name") or "").strip(), (row.get("vat_id") or "").strip()
    )


def _extf_row(row: dict[str, str]) -> AdvisorCreditor:
    vat_id = (row.get("EU-Land") or "") + (row.get("EU-UStID") or "")
    name = row.get("Name (Adressatentyp Unternehmen)") or row.get("Kurzbezeichnung") or ""
    return AdvisorCreditor(int(row["Konto"]), name.strip(), vat_id.strip())


def _rows(
    reader: csv.DictReader[str], make: Callable[[dict[str, str]], AdvisorCreditor]
) -> list[AdvisorCreditor]:
    rows: list[AdvisorCreditor] = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(make(row))
        except (KeyError, ValueError, TypeError) as exc:
            raise CreditorListError(f"Line {line}: a creditor needs a number ({exc}).") from exc
    return rows


def import_creditors(
    session: Session, rows: list[AdvisorCreditor], *, account_length: int, actor: str
) -> ImportResult:
    """Give Kontor's creditors the advisor's numbers (see the module docstring)."""
    result = ImportResult()
    low, high = CREDITOR_BASE * 10**account_length, 10 ** (account_length + 1) - 1
    for row in rows:
        if not low <= row.number <= high:
            result.warnings.append(f"{row.number} is no creditor account ({low}-{high}); left out.")
            continue
        _import_row(session, row, result)
    session.add(AuditEvent(actor=actor, action="creditors.import", after=_summary(result)))
    session.flush()
    return result


def _import_row(session: Session, row: AdvisorCreditor, result: ImportResult) -> None:
    ref = VendorRef(name=row.name or None, vat_id=row.vat_id or None)
    vendor = find_vendor(session, ref)
    found = vendor.creditor if vendor is not None else None
    holder = session.scalar(select(Creditor).where(Creditor.number == row.number))
    if found is not None and found.number == row.number:
        result.unchanged.append(row.number)
    elif holder is not None:
        result.warnings.append(
            f"{row.number} already belongs to {holder.name!r}; {row.name!r} is left as it is."
        )
    elif found is not None:
        _renumber(session, found, row.number, result)
    else:
        session.add(Creditor(number=row.number, vendor=vendor or vendor_for(session, ref)))
        session.flush()
        result.created.append(row.number)


def _renumber(session: Session, creditor: Creditor, number: int, result: ImportResult) -> None:
    exported = session.scalar(
        select(JournalEntry.id)
        .join(DatevBatchEntry, DatevBatchEntry.entry_id == JournalEntry.id)
        .where(JournalEntry.creditor_id == creditor.id)
        .limit(1)
    )
    if exported is not None:
        result.warnings.append(
            f"{creditor.name!r} was exported as {creditor.number} before; the advisor books those under it."
        )
    result.renumbered.append((creditor.number, number))
    creditor.number = number
    session.flush()


def _summary(result: ImportResult) -> dict[str, object]:
    return {
        "renumbered": [list(pair) for pair in result.renumbered],
        "created": result.created,
        "unchanged": len(result.unchanged),
        "warnings": result.warnings,
    }
