"""GoBD data access (Datenträgerüberlassung, "Z3"): the journal, the documents index and the originals of a
period, described by an `index.xml` in the GDPdU format (DTD `gdpdu-01-08-2002.dtd`, as the auditors' IDEA
software reads it).

Files: `journal.csv` (one row per journal line), `documents.csv` (one row per document with an entry in
the period), `documents/<id>_<sha256 prefix>.<ext>` (the originals, byte for byte). CSVs are UTF-8, `;`,
CRLF, texts in quotes, amounts with a decimal comma, dates DD.MM.YYYY, as `index.xml` declares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking.datev_documents import EXTENSIONS
from app.errors import ConflictError
from app.journal.exports import entries_between
from app.journal.models import JournalEntry
from app.models import Document

ColumnType = Literal["text", "number", "amount", "date"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str


JOURNAL: tuple[Column, ...] = (
    Column("entry_id", "number", "Journal entry (primary key with position)"),
    Column("position", "number", "Line of the entry"),
    Column("kind", "text", "invoice, reversal or correction"),
    Column("document_id", "number", "Document (documents.csv)"),
    Column("document_number", "text", "Invoice number (Belegnummer)"),
    Column("document_date", "date", "Invoice date (Belegdatum)"),
    Column("posted_at", "date", "Day of posting"),
    Column("posted_by", "text", "Who posted"),
    Column("creditor", "number", "Creditor account"),
    Column("creditor_name", "text", "Creditor"),
    Column("account", "number", "Account"),
    Column("side", "text", "debit (Soll) or credit (Haben)"),
    Column("amount", "amount", "Amount in EUR"),
    Column("role", "text", "expense, input_vat, output_vat, payable, vat_rounding"),
    Column("tax_key", "text", "DATEV BU-Schlüssel"),
    Column("tax_amount", "amount", "VAT belonging to an expense line"),
    Column("text", "text", "Posting text"),
    Column("reverses_id", "number", "Entry this one reverses"),
    Column("corrects_id", "number", "Entry this one corrects"),
)
DOCUMENTS: tuple[Column, ...] = (
    Column("document_id", "number", "Document (primary key)"),
    Column("file", "text", "Original in this export"),
    Column("filename", "text", "Name as received"),
    Column("media_type", "text", "Media type"),
    Column("sha256", "text", "SHA-256 of the original"),
    Column("received_at", "date", "Day of receipt"),
    Column("source", "text", "api, mail or cli"),
    Column("status", "text", "Processing status"),
)


def _field(value: object, type_: ColumnType) -> str:
    if value is None or value == "":
        return ""
    if type_ == "amount":
        return f"{Decimal(str(value)):.2f}".replace(".", ",")
    if type_ == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return day.strftime("%d.%m.%Y")
    if type_ == "number":
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def _csv(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> bytes:
    lines = [";".join(_field(v, c.type) for v, c in zip(row, columns, strict=True)) for row in rows]
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def journal_rows(entries: Sequence[JournalEntry]) -> list[list[object]]:
    return [
        [
            e.id, line.position, e.kind.value, e.document_id, e.document_number, e.document_date,
            e.posted_at.date(), e.posted_by, e.creditor.number, e.creditor.name, line.account,
            line.side.value, line.amount, line.role.value, line.tax_key, line.tax_amount, line.text,
            e.reverses_id, e.corrects_id,
        ]
        for e in entries
        for line in e.lines
    ]  # fmt: skip


def original_name(document: Document) -> str:
    extension = EXTENSIONS.get(document.media_type, "bin")
    return f"documents/{document.id}_{document.sha256[:12]}.{extension}"


def _table(
    url: str, name: str, description: str, columns: Sequence[Column], period: tuple[date, date]
) -> str:
    key, *rest = columns
    variable = "\n".join(
        [
            f"        <VariablePrimaryKey><Name>{key.name}</Name>{_type(key)}</VariablePrimaryKey>",
            *(
                f"        <VariableColumn><Name>{c.name}</Name>"
                f"<Description>{escape(c.description)}</Description>{_type(c)}</VariableColumn>"
                for c in rest
            ),
        ]
    )
    return f"""    <Table>
      <URL>{url}</URL>
      <Name>{name}</Name>
      <Description>{escape(description)}</Description>
      <Validity><Range><From>{period[0]:%d.%m.%Y}</From><To>{period[1]:%d.%m.%Y}</To></Range></Validity>
      <UTF8/>
      <DecimalSymbol>,</DecimalSymbol>
      <DigitGroupingSymbol>.</DigitGroupingSymbol>
      <VariableLength>
        <ColumnDelimiter>;</ColumnDelimiter>
        <RecordDelimiter>&#13;&#10;</RecordDelimiter>
        <TextEncapsulator>"</TextEncapsulator>
{variable}
      </VariableLength>
    </Table>"""


def _type(column: Column) -> str:
    return {
        "text": "<AlphaNumeric/>",
        "number": "<Numeric/>",
        "amount": "<Numeric><Accuracy>2</Accuracy></Numeric>",
        "date": "<Date><Format>DD.MM.YYYY</Format></Date>",
    }[column.type]


def index_xml(company: str, period: tuple[date, date]) -> bytes:
    tables = "\n".join(
        [
            _table("journal.csv", "Journal", "Journal entries, one row per line", JOURNAL, period),
            _table(
                "documents.csv", "Belege", "Documents index; originals under documents/", DOCUMENTS, period
            ),
        ]
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE DataSet SYSTEM "gdpdu-01-08-2002.dtd">
<DataSet>
  <Version>1.0</Version>
  <DataSupplier>
    <Name>{escape(company)}</Name>
    <Location>Kontor</Location>
    <Comment>Rechnungseingang {period[0]:%d.%m.%Y} - {period[1]:%d.%m.%Y}</Comment>
  </DataSupplier>
  <Media>
    <Name>Kontor GoBD-Export</Name>
{tables}
  </Media>
</DataSet>
"""
    return text.encode("utf-8")


def write_gobd_export(
    session: Session, company: str, date_from: date, date_to: date, out: Path
) -> list[Path]:
    """Write the data access files of every entry dated in [date_from, date_to] to `out`; returns them."""
    entries = entries_between(session, date_from, date_to)
    ids = sorted({e.document_id for e in entries})
    documents = list(session.scalars(select(Document).where(Document.id.in_(ids)).order_by(Document.id)))
    (out / "documents").mkdir(parents=True, exist_ok=True)
    files = {
        "index.xml": index_xml(company, (date_from, date_to)),
        "journal.csv": _csv(JOURNAL, journal_rows(entries)),
        "documents.csv": _csv(DOCUMENTS, [_document_row(d) for d in documents]),
        **{original_name(d): d.content for d in documents},
    }
    for name, content in files.items():
        (out / name).write_bytes(content)
    return [out / name for name in files]


def _document_row(document: Document) -> list[object]:
    if hashlib.sha256(document.content).hexdigest() != document.sha256:
        raise ConflictError(f"Document {document.id}: the stored original no longer matches its SHA-256.")
    return [
        document.id, original_name(document), document.filename, document.media_type, document.sha256,
        document.received_at.date(), document.source.value, document.status.value,
    ]  # fmt: skip
