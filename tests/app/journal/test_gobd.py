"""The GoBD data access export, read back through its own index.xml as an auditor's tool would."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from sqlalchemy.orm import Session

from app.db import get_sessionmaker, session_scope
from app.journal.gobd import write_gobd_export
from app.journal.posting import reverse_entry
from tests.app.journal.test_datev import post
from tests.app.test_cli import kontor
from tests.booking_factories import make_invoice

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def read_table(out: Path, table: Element) -> list[dict[str, str]]:
    """A table as index.xml describes it: its URL, columns in order, `;`, `"`, CRLF."""
    names = [e.findtext("Name") for e in table.iter() if e.tag in ("VariablePrimaryKey", "VariableColumn")]
    text = (out / str(table.findtext("URL"))).read_bytes().decode("utf-8")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    assert all(len(r) == len(names) for r in rows)
    return [dict(zip(map(str, names), r, strict=True)) for r in rows]


def amount(value: str) -> Decimal:
    return Decimal(value.replace(",", ".")) if value else Decimal(0)


def test_the_export_describes_every_file_and_reconciles(session: Session, tmp_path: Path) -> None:
    first = post(session, make_invoice(number="A-1"))
    post(session, make_invoice(number="B-1", seller="Hotel Adler", vat_id="DE222222222"))
    reverse_entry(session, first, actor="key:rev", reason="wrong")
    post(session, make_invoice(number="C-1", issued=date(2026, 4, 1)))  # outside the period
    write_gobd_export(session, "Kontor Test GmbH", *MARCH, tmp_path)
    index = ElementTree.parse(tmp_path / "index.xml").getroot()
    assert index is not None
    assert index.findtext("DataSupplier/Name") == "Kontor Test GmbH"
    journal, documents = (read_table(tmp_path, t) for t in index.iter("Table"))
    assert {r["document_number"] for r in journal} == {"A-1", "B-1"}
    debit = sum((amount(r["amount"]) for r in journal if r["side"] == "debit"), Decimal(0))
    credit = sum((amount(r["amount"]) for r in journal if r["side"] == "credit"), Decimal(0))
    assert debit == credit == Decimal("357.00")  # two invoices of 119.00 and one reversal
    assert {r["kind"] for r in journal} == {"invoice", "reversal"}
    assert all(r["document_date"] == "15.03.2026" for r in journal)
    assert {r["document_id"] for r in journal} == {r["document_id"] for r in documents}
    for row in documents:
        assert hashlib.sha256((tmp_path / row["file"]).read_bytes()).hexdigest() == row["sha256"]


def test_kontor_export_gobd(tmp_path: Path, live_database_url: str) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        post(session, make_invoice())
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    out = tmp_path / "z3"
    result = kontor(
        "export", "gobd", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out), env=env
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["documents", "documents.csv", "index.xml", "journal.csv"]
    assert len(list((out / "documents").iterdir())) == 1
