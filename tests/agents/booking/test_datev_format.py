"""The writer's files re-read by the strict reader of `tests.datev_reader` (column tables in tests/data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest

from agents.booking.datev import MAX_ROWS, BatchHeader, Booking, write_batch
from agents.booking.datev_creditors import COLUMNS as CREDITOR_FILE_COLUMNS
from agents.booking.datev_creditors import CreditorRecord, split_address, write_creditors
from app.journal.datev import plan_batches
from tests.agents.booking.datev_factories import MARCH_2026, booking
from tests.datev_reader import (
    COLUMNS,
    CREDITOR_COLUMNS,
    HEADER,
    ExtfError,
    amount,
    read_extf,
    signed_total,
    split_fields,
)

HEADER_2026 = MARCH_2026


def row(**changes: Any) -> Booking:
    extra: dict[str, Any] = {
        "text": 'Bürobedarf "Nord"',
        "guid": "6f1c1f0e-8d0a-4a52-9d5c-3f1d2a0b9c11",
        "service_date": date(2026, 3, 10),
        "due_date": date(2026, 4, 14),
    }
    return booking(**{**extra, **changes})


def test_the_column_tables_hold_the_format() -> None:
    assert len(COLUMNS) == 125
    assert len(HEADER) == 31
    assert [c.number for c in COLUMNS] == list(range(1, 126))
    assert (COLUMNS[102].name, COLUMNS[113].name, COLUMNS[117].name) == (
        "Buchungs GUID",
        "Festschreibung",
        "Generalumkehr (GU)",
    )


def test_every_field_the_writer_fills_passes_the_strict_reader() -> None:
    rows = [
        row(),
        row(amount=Decimal("0.01"), side="S", tax_key=None, service_date=None, due_date=None),
        row(tax_key="19", origin_vat_id="ATU12345678", reversal=True, tax_period_date=date(2026, 3, 31)),
    ]
    extf = read_extf(write_batch(HEADER_2026, rows))
    first, second, third = extf.rows
    assert extf.header[:5] == ["EXTF", "700", "21", "Buchungsstapel", "13"]
    assert (first["Leistungsdatum"], first["Fälligkeit"], first["Belegdatum"]) == (
        "10032026",
        "14042026",
        "1503",
    )
    assert first["Buchungs GUID"] == "6f1c1f0e-8d0a-4a52-9d5c-3f1d2a0b9c11"
    assert (second["Leistungsdatum"], second["BU-Schlüssel"]) == ("", "")
    assert (third["Generalumkehr (GU)"], third["EU-Land u. UStID (Ursprung)"]) == ("1", "ATU12345678")
    assert third["Datum Zuord. Steuerperiode"] == "31032026"
    assert signed_total(extf) == Decimal("1190.00") - Decimal("0.01") - Decimal("1190.00")


@pytest.mark.parametrize("fixed", [False, True])
def test_festschreibung_is_written_in_every_row_as_in_header_field_21(fixed: bool) -> None:
    header = BatchHeader(**{**HEADER_2026.__dict__, "fixed": fixed})
    extf = read_extf(write_batch(header, [row(), row()]))
    assert extf.header[20] == str(int(fixed))
    assert [r["Festschreibung"] for r in extf.rows] == [str(int(fixed))] * 2


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('1190,00;"H"', "fields"),
        ("1190,5" + ";" * 124, "amount"),
        ('"1190,00"' + ";" * 124, "unquoted"),
        ("1,00;H" + ";" * 123, "quotes"),
        ('1,00;"X"' + ";" * 123, "allowed"),
    ],
)
def test_the_strict_reader_refuses_what_the_format_forbids(line: str, problem: str) -> None:
    good = write_batch(HEADER_2026, [row()]).decode("cp1252").split("\r\n")
    with pytest.raises(ExtfError, match=problem):
        read_extf("\r\n".join([*good[:2], line, ""]).encode("cp1252"))


def test_the_reader_splits_quoted_semicolons_and_doubled_quotes() -> None:
    assert split_fields('1,00;"a;b";"say ""hi""";') == ["1,00", '"a;b"', '"say ""hi"""', ""]


def test_100000_rows_become_two_batches_that_each_pass_and_reconcile() -> None:
    count = 100_000
    entries = [SimpleNamespace(id=i) for i in range(count)]
    rows = [row(amount=Decimal(1 + i % 997) / 100, guid=f"{i:036d}") for i in range(count)]
    year_of = {i: date(2026, 1, 1) for i in range(count)}
    plans = plan_batches(cast(Any, list(zip(entries, [[r] for r in rows], strict=True))), year_of)
    assert [len(p.rows) for p in plans] == [MAX_ROWS, 1]
    files = [write_batch(HEADER_2026, p.rows) for p in plans]
    assert [f.count(b"\r\n") - 2 for f in files] == [MAX_ROWS, 1]
    tail = read_extf(files[1])
    head = files[0].decode("cp1252").split("\r\n")
    sample = read_extf("\r\n".join([*head[:2], *head[2::997], ""]).encode("cp1252"))  # every 997th row
    assert len(sample.rows) > 100
    total = sum((amount(line.split(";", 1)[0]) for line in head[2:-1]), Decimal(0)) + signed_total(tail)
    assert total == sum((r.amount for r in rows), Decimal(0))
    guids = {line.split(";")[102] for line in head[2:-1]} | {r["Buchungs GUID"] for r in tail.rows}
    assert len(guids) == count  # every row once, none lost at the cut


def test_an_entrys_rows_stay_in_one_batch_and_years_never_mix() -> None:
    entries = [SimpleNamespace(id=i) for i in range(4)]
    year_of = {0: date(2025, 1, 1), 1: date(2026, 1, 1), 2: date(2026, 1, 1), 3: date(2026, 1, 1)}
    rows = [[row()], [row(), row()], [row(), row()], [row()]]
    plans = plan_batches(cast(Any, list(zip(entries, rows, strict=True))), year_of, max_rows=3)
    assert [([e.id for e in p.entries], len(p.rows)) for p in plans] == [([0], 1), ([1], 2), ([2, 3], 3)]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Hauptstr. 5, 12345 Berlin", ("Hauptstr. 5", "12345", "Berlin")),
        ("Musterweg 1\nD-80331 München", ("Musterweg 1", "80331", "München")),
        ("Postfach 12 34", ("Postfach 12 34", "", "")),
        ("", ("", "", "")),
    ],
)
def test_an_invoice_address_is_split_into_street_postcode_and_city(
    address: str, expected: tuple[str, str, str]
) -> None:
    assert split_address(address) == expected


def test_creditor_master_data_passes_the_strict_reader() -> None:
    assert len(CREDITOR_COLUMNS) == len(CREDITOR_FILE_COLUMNS) == 254
    record = CreditorRecord(
        number=70001, name='Müller "Nord" GmbH', vat_id="DE 123456789", tax_number="12/345/67890"
    )
    extf = read_extf(write_creditors(HEADER_2026, [record, CreditorRecord(number=70002, name="X")]))
    assert extf.header[2:5] == ["16", "Debitoren/Kreditoren", "5"]
    assert extf.header[14:22] == ["", "", "", "", "", "", "", ""]  # booking fields stay empty
    first = extf.rows[0]
    assert (first["Konto"], first["Name (Adressatentyp Unternehmen)"]) == ("70001", 'Müller "Nord" GmbH')
    assert (first["EU-Land"], first["EU-UStID"], first["Steuernummer"]) == ("DE", "123456789", "12/345/67890")
    assert (extf.rows[1]["IBAN-Nr. 1"], extf.rows[1]["Kennz. Hauptbankverb. 1"]) == ("", "")
