"""DATEV exports through the ledger: what goes out once, late postings, repeats, API and CLI.

Every file is re-read by the strict reader of `tests.datev_reader` and reconciled to Σ gross.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.booking import propose
from agents.einvoice import read_einvoice
from app.config import Settings
from app.datev_service import DatevNotConfiguredError, NothingToExportError, create_export
from app.db import get_sessionmaker, session_scope
from app.export_ledger import DatevBatch, DatevBatchEntry, DatevExport
from app.journal import JournalEntry
from app.models import AuditEvent, Document
from app.posting import correct_entry, post_booking, reverse_entry
from schemas.invoice import Invoice
from tests.app.test_cli import kontor
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy
from tests.conftest import make_settings
from tests.corpus import corpus_dir
from tests.datev_reader import read_extf, signed_total

NUMBERS = {"consultant_number": 29098, "client_number": 55003}
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, booking={"datev": NUMBERS})


def post(session: Session, invoice: Invoice) -> JournalEntry:
    document = create_invoice_document(session, invoice=invoice)
    return post_booking(session, document, propose(invoice, skr03_policy()), "key:test")


def export(session: Session, settings: Settings, period: tuple[date, date], **options: Any) -> DatevExport:
    return create_export(session, settings, *period, actor="key:test", **options)


def bookings(export_: DatevExport) -> list[DatevBatch]:
    """The export's Buchungsstapel files (the creditors' master data file left out)."""
    return [b for b in export_.batches if b.kind == "bookings"]


def exported_numbers(export_: DatevExport) -> list[str]:
    return [r["Belegfeld 1"] for b in bookings(export_) for r in read_extf(b.content).rows]


def gross(*invoices: Invoice) -> Decimal:
    return sum(
        ((i.gross_total or Decimal(0)) * (-1 if i.document_type_code == "381" else 1) for i in invoices),
        Decimal(0),
    )


def test_an_export_is_recorded_with_its_file_hash_entries_and_author(
    session: Session, settings: Settings
) -> None:
    invoices = [
        make_invoice(number="1"),
        make_invoice(
            number="2", lines=[("Kopierpapier", "33.33", "19", "S"), ("Fachbuch", "10.01", "7", "S")]
        ),
        make_invoice(number="3", type_code="381", lines=[("Gutschrift Toner", "40.00", "19", "S")]),
        make_invoice(
            number="4", seller="Montagebau Süd", vat_id="DE333333333", lines=[("Montage", "500", "0", "AE")]
        ),
    ]
    entries = [post(session, i) for i in invoices]
    made = export(session, settings, MARCH)
    (batch,) = bookings(made)
    extf = read_extf(batch.content)
    assert signed_total(extf) == batch.gross_amount == gross(*invoices) == Decimal("621.77")
    assert (made.created_by, made.period_from, made.period_to, batch.rows, batch.entries) == (
        "key:test",
        *MARCH,
        len(extf.rows),
        4,
    )
    import hashlib

    assert batch.sha256 == hashlib.sha256(batch.content).hexdigest()
    ids = set(session.scalars(select(DatevBatchEntry.entry_id).where(DatevBatchEntry.batch_id == batch.id)))
    assert ids == {e.id for e in entries}
    assert {r["BU-Schlüssel"] for r in extf.rows} == {"9", "8", "94"}
    assert extf.header[10:12] == ["29098", "55003"]
    guids = [r["Buchungs GUID"] for r in extf.rows]
    assert len(set(guids)) == len(guids)
    assert all(len(g) == 36 for g in guids)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "datev.export")).one()
    assert event.after is not None
    assert event.after["batches"][0]["sha256"] == batch.sha256


def test_exporting_a_period_again_exports_nothing_twice(session: Session, settings: Settings) -> None:
    post(session, make_invoice(number="A-1"))
    first = export(session, settings, MARCH)
    with pytest.raises(NothingToExportError):
        export(session, settings, MARCH)
    assert session.scalars(select(DatevExport)).all() == [first]
    post(session, make_invoice(number="A-2"))
    second = export(session, settings, MARCH)
    assert (exported_numbers(first), exported_numbers(second)) == (["A-1"], ["A-2"])


def test_again_repeats_the_period_with_the_same_guids(session: Session, settings: Settings) -> None:
    post(session, make_invoice(number="A-1"))
    post(session, make_invoice(number="B-1", issued=date(2026, 4, 2)))
    first = export(session, settings, MARCH)
    repeat = export(session, settings, MARCH, again=True)
    assert (exported_numbers(repeat), repeat.again) == (["A-1"], True)  # April stays out of a March repeat
    guid = [read_extf(bookings(e)[0].content).rows[0]["Buchungs GUID"] for e in (first, repeat)]
    assert guid[0] == guid[1]


def test_a_late_posting_into_an_exported_month_goes_out_with_the_next_export(
    session: Session, settings: Settings
) -> None:
    post(session, make_invoice(number="M-1"))
    export(session, settings, MARCH)
    late = make_invoice(number="M-late", issued=date(2026, 3, 20))  # posted after March was exported
    post(session, late)
    post(session, make_invoice(number="A-1", issued=date(2026, 4, 3)))
    april = export(session, settings, APRIL)
    (batch,) = bookings(april)
    extf = read_extf(batch.content)
    assert [(r["Belegfeld 1"], r["Belegdatum"]) for r in extf.rows] == [("M-late", "2003"), ("A-1", "0304")]
    assert (batch.date_from, batch.date_to) == (date(2026, 3, 20), date(2026, 4, 30))  # header widened
    assert extf.header[14:16] == ["20260320", "20260430"]


def test_a_period_across_fiscal_years_gives_one_batch_per_year(session: Session, settings: Settings) -> None:
    december, january = make_invoice(number="D-1", issued=date(2025, 12, 30)), make_invoice(number="J-1")
    post(session, december)
    post(session, january)
    made = export(session, settings, (date(2025, 12, 1), date(2026, 3, 31)))
    assert [(b.fiscal_year_start, b.date_from, b.date_to) for b in bookings(made)] == [
        (date(2025, 1, 1), date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31)),
    ]
    assert [signed_total(read_extf(b.content)) for b in bookings(made)] == [gross(december), gross(january)]


def test_the_example_consultant_numbers_are_refused(
    session: Session, tmp_path: Path, database_url: str
) -> None:
    post(session, make_invoice())
    with pytest.raises(DatevNotConfiguredError, match="consultant and client numbers"):
        export(session, make_settings(tmp_path, database_url), MARCH)
    assert session.scalar(select(DatevExport)) is None


def test_festschreibung_follows_the_setting(session: Session, tmp_path: Path, database_url: str) -> None:
    post(session, make_invoice())
    fixed = make_settings(tmp_path, database_url, booking={"datev": {**NUMBERS, "fixed": True}})
    extf = read_extf(bookings(export(session, fixed, MARCH))[0].content)
    assert (extf.header[20], {r["Festschreibung"] for r in extf.rows}) == ("1", {"1"})


def test_invoice_numbers_datev_cannot_carry_are_mapped_apart_and_warned(
    session: Session, settings: Settings
) -> None:
    post(session, make_invoice(number="1.10"))
    post(session, make_invoice(number="11.0", seller="Hotel Adler", vat_id="DE222222222"))
    made = export(session, settings, MARCH)
    numbers = exported_numbers(made)
    assert len(set(numbers)) == 2
    assert all(n.startswith("110-") for n in numbers)
    assert {made.document_numbers[k] for k in ("1.10", "11.0")} == set(numbers)
    assert len(made.warnings) == 2
    assert "'1.10'" in " ".join(made.warnings)


def test_a_reversal_is_a_generalumkehr_with_the_original_belegdatum(
    session: Session, settings: Settings
) -> None:
    invoice = make_invoice().model_copy(
        update={"delivery_date": date(2026, 3, 10), "due_date": date(2026, 4, 14)}
    )
    entry = post(session, invoice)
    export(session, settings, MARCH)
    reverse_entry(session, entry, actor="key:rev", reason="wrong vendor")
    rows = read_extf(bookings(export(session, settings, APRIL))[0].content).rows
    assert [(r["Generalumkehr (GU)"], r["Soll/Haben-Kennzeichen"], r["Belegdatum"]) for r in rows] == [
        ("1", "H", "1503")
    ]
    assert (rows[0]["Leistungsdatum"], rows[0]["Fälligkeit"]) == ("10032026", "14042026")


def test_a_correction_keeps_the_original_belegdatum_and_nets_to_the_new_amount(
    session: Session, settings: Settings
) -> None:
    entry = post(session, make_invoice())
    export(session, settings, MARCH)
    fixed = make_invoice(lines=[("Kopierpapier", "90.00", "19", "S")])
    correct_entry(session, entry, propose(fixed, skr03_policy()), actor="key:rev", reason="price")
    extf = read_extf(bookings(export(session, settings, APRIL))[0].content)
    assert {r["Belegdatum"] for r in extf.rows} == {"1503"}
    assert signed_total(extf) == gross(fixed) - gross(make_invoice())


def test_corpus_invoices_of_one_year_reconcile(session: Session, settings: Settings) -> None:
    by_year: dict[int, list[Invoice]] = {}
    for path in sorted((corpus_dir() / "xml").glob("*.xml")):
        invoice = read_einvoice(path.read_bytes()).invoice
        if invoice.issue_date and not propose(invoice, skr03_policy()).blocking:
            by_year.setdefault(invoice.issue_date.year, []).append(invoice)
    year, invoices = max(by_year.items(), key=lambda kv: len(kv[1]))
    assert len(invoices) >= 10
    for invoice in invoices:
        post(session, invoice)
    made = export(session, settings, (date(year, 1, 1), date(year, 12, 31)))
    assert sum((signed_total(read_extf(b.content)) for b in bookings(made)), Decimal(0)) == gross(*invoices)


def test_the_api_creates_lists_and_downloads_exports(
    client: TestClient, session: Session, reviewer: dict[str, str], uploader: dict[str, str]
) -> None:
    post(session, make_invoice())
    body = {"from": "2026-03-01", "to": "2026-03-31"}
    assert client.post("/v1/exports/datev", json=body, headers=uploader).status_code == 403
    created = client.post("/v1/exports/datev", json=body, headers=reviewer)
    assert created.status_code == 201, created.text
    batch, creditors = created.json()["batches"]
    assert (batch["kind"], creditors["kind"], creditors["rows"]) == ("bookings", "creditors", 1)
    assert batch["gross_amount"] == "119.00"
    again = client.post("/v1/exports/datev", json=body, headers=reviewer)
    assert (again.status_code, again.json()["error"]) == (409, "nothing_to_export")
    listed = client.get("/v1/exports/datev", headers=reviewer).json()["items"]
    assert [e["id"] for e in listed] == [created.json()["id"]]
    download = client.get(batch["url"], headers=reviewer)
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=windows-1252"
    assert batch["filename"] in download.headers["content-disposition"]
    assert signed_total(read_extf(download.content)) == Decimal("119.00")
    missing = client.get(f"/v1/exports/datev/{created.json()['id']}/batches/3", headers=reviewer)
    assert missing.status_code == 404


def test_the_api_answers_the_example_numbers_with_a_clear_409(
    tmp_path: Path, database_url: str, session: Session, reviewer: dict[str, str], session_factory: Any
) -> None:
    from app.main import create_app

    app = create_app(make_settings(tmp_path, database_url))
    app.state.sessionmaker = session_factory
    post(session, make_invoice())
    with TestClient(app) as plain:
        response = plain.post(
            "/v1/exports/datev", json={"from": "2026-03-01", "to": "2026-03-31"}, headers=reviewer
        )
    assert (response.status_code, response.json()["error"]) == (409, "datev_not_configured")


def test_kontor_export_datev_records_and_writes_the_batch(tmp_path: Path, live_database_url: str) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        post(session, make_invoice())
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    args = ("export", "datev", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "out"))
    refused = kontor(*args, env=env)
    assert (refused.returncode, "consultant and client numbers" in refused.stderr) == (1, True)
    env |= {
        "KONTOR_BOOKING__DATEV__CONSULTANT_NUMBER": "29098",
        "KONTOR_BOOKING__DATEV__CLIENT_NUMBER": "55003",
    }
    result = kontor(*args, env=env)
    assert result.returncode == 0, result.stderr
    (written,) = (tmp_path / "out").glob("EXTF_Buchungsstapel_*.csv")
    (creditors,) = (tmp_path / "out").glob("EXTF_Kreditoren_*.csv")
    assert [r["Konto"] for r in read_extf(creditors.read_bytes()).rows] == ["70001"]
    assert signed_total(read_extf(written.read_bytes())) == Decimal("119.00")
    repeat = kontor(*args, env=env)
    assert (repeat.returncode, "Nothing new" in repeat.stderr) == (0, True)
    assert kontor(*args, "--again", env=env).returncode == 0
    assert len(list((tmp_path / "out").glob("EXTF_Buchungsstapel_*.csv"))) == 2
    listed = kontor("export", "list", env=env)
    assert (listed.returncode, listed.stdout.count("EXTF_Buchungsstapel_")) == (0, 2)
    assert kontor("export", "download", "1", "--out", str(tmp_path / "again"), env=env).returncode == 0
    assert (tmp_path / "again" / written.name).read_bytes() == written.read_bytes()
    assert kontor("export", "download", "99", env=env).returncode == 1


def test_eu_cases_name_the_suppliers_vat_id_in_column_123(session: Session, settings: Settings) -> None:
    eu = make_invoice(
        number="EU-1", seller="Wien Beratung", vat_id="ATU12345678", lines=[("Beratung", "800", "0", "AE")]
    )
    domestic = make_invoice(
        number="DE-1", seller="Bau Süd", vat_id="DE333333333", lines=[("Montage", "500", "0", "AE")]
    )
    post(session, eu.model_copy(update={"seller_country": "AT"}))
    post(session, domestic)
    rows = read_extf(bookings(export(session, settings, MARCH))[0].content).rows
    assert [(r["Belegfeld 1"], r["BU-Schlüssel"], r["EU-Land u. UStID (Ursprung)"]) for r in rows] == [
        ("EU-1", "46", "ATU12345678"),
        ("DE-1", "94", ""),
    ]


def test_the_creditors_master_data_goes_beside_the_batch(session: Session, settings: Settings) -> None:
    vienna = make_invoice(number="W-1", seller="Wien Beratung GmbH", vat_id="ATU12345678")
    post(
        session,
        vienna.model_copy(
            update={
                "seller_country": "AT",
                "seller_address": "Ringstraße 5, A-1010 Wien",
                "iban": "AT61 1904 3002 3457 3201",
                "bic": "bkauatww",
            }
        ),
    )
    post(session, make_invoice(number="N-1"))
    made = export(session, settings, MARCH)
    (master,) = [b for b in made.batches if b.kind == "creditors"]
    extf = read_extf(master.content)
    assert extf.header[2:5] == ["16", "Debitoren/Kreditoren", "5"]
    assert master.filename.startswith("EXTF_Kreditoren_")
    assert master.rows == 2
    wien, nord = extf.rows
    assert (nord["Konto"], nord["Name (Adressatentyp Unternehmen)"]) == ("70002", "Papierhaus Nord GmbH")
    assert [wien[k] for k in ("Konto", "Adressatentyp", "EU-Land", "EU-UStID", "Land")] == [
        "70001",
        "2",
        "AT",
        "U12345678",
        "AT",
    ]
    assert [wien[k] for k in ("Straße", "Postleitzahl", "Ort")] == ["Ringstraße 5", "1010", "Wien"]
    assert [wien[k] for k in ("IBAN-Nr. 1", "SWIFT-Code 1", "Kennz. Hauptbankverb. 1")] == [
        "AT611904300234573201",
        "BKAUATWW",
        "1",
    ]


def test_beleglinks_point_into_the_document_bundle(
    session: Session, tmp_path: Path, database_url: str
) -> None:
    linked = make_settings(tmp_path, database_url, booking={"datev": {**NUMBERS, "document_links": True}})
    first = post(session, make_invoice(number="A-1"))
    post(session, make_invoice(number="B-1", seller="Hotel Adler", vat_id="DE222222222"))
    made = export(session, linked, MARCH)
    assert [b.kind for b in made.batches] == ["bookings", "creditors", "documents"]
    rows = read_extf(made.batches[0].content).rows
    links = {r["Belegfeld 1"]: r["Beleglink"] for r in rows}
    assert all(re.fullmatch(r'BEDI "[0-9a-f-]{36}"', link) for link in links.values())
    with zipfile.ZipFile(io.BytesIO(made.batches[2].content)) as bundle:
        index = ElementTree.fromstring(bundle.read("document.xml"))
        ns = {"d": "http://xml.datev.de/bedi/tps/document/v04.0"}
        documents = index.findall("d:content/d:document", ns)
        guids = {d.get("guid"): d for d in documents}
        assert {f'BEDI "{g}"' for g in guids} == set(links.values())
        original = session.get(Document, first.document_id)
        assert original is not None
        entry = guids[links["A-1"][6:-1]]
        assert entry.findtext("d:keywords", namespaces=ns) == "A-1"
        name = entry.find("d:extension", ns).get("name")  # type: ignore[union-attr]
        assert bundle.read(str(name)) == original.content


def test_without_document_links_there_is_no_beleglink(session: Session, settings: Settings) -> None:
    post(session, make_invoice())
    made = export(session, settings, MARCH)
    assert [b.kind for b in made.batches] == ["bookings", "creditors"]
    assert read_extf(made.batches[0].content).rows[0]["Beleglink"] == ""
