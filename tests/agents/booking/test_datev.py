"""The EXTF writer against the format description in `agents.booking.datev`'s docstring."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from agents.booking.datev import (
    FILLED,
    HEADER_FIELDS,
    BatchHeader,
    amount_text,
    document_field,
    document_fields,
    parse_amount,
    parse_batch,
    write_batch,
)
from agents.booking.datev_columns import COLUMNS
from agents.booking.errors import DatevFormatError
from tests.agents.booking.datev_factories import MARCH_2026, booking

HEADER = MARCH_2026


def test_the_file_is_windows_1252_with_crlf_and_semicolons() -> None:
    data = write_batch(HEADER, [booking()])
    assert "Müller".encode("cp1252") in data
    assert "Müller".encode() not in data
    assert data.count(b"\r\n") == 3
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.startswith(b'"EXTF";700;21;"Buchungsstapel";13;20260402093015123;;')


def test_the_header_record_has_its_31_fields_in_place() -> None:
    header = parse_batch(write_batch(HEADER, [booking()])).header
    assert len(header) == HEADER_FIELDS == 31
    assert header[:5] == ["EXTF", "700", "21", "Buchungsstapel", "13"]
    assert re.fullmatch(r"\d{17}", header[5])
    assert header[10:16] == ["29098", "55003", "20260101", "4", "20260301", "20260331"]
    assert (header[18], header[20], header[21], header[26]) == ("1", "0", "EUR", "03")


def test_each_row_has_as_many_fields_as_the_column_line_and_the_formats_hold() -> None:
    batch = parse_batch(
        write_batch(HEADER, [booking(), booking(amount=Decimal("0.5"), side="S", tax_key=None)])
    )
    assert batch.columns == list(COLUMNS)
    assert len(COLUMNS) == 125
    assert batch.widths == [125, 125]
    first, second = batch.rows
    assert re.fullmatch(r"\d{1,10},\d{2}", first["Umsatz (ohne Soll/Haben-Kz)"])
    assert (first["Umsatz (ohne Soll/Haben-Kz)"], second["Umsatz (ohne Soll/Haben-Kz)"]) == (
        "1190,00",
        "0,50",
    )
    assert (first["Soll/Haben-Kennzeichen"], second["Soll/Haben-Kennzeichen"]) == ("H", "S")
    assert (first["Konto"], first["Gegenkonto (ohne BU-Schlüssel)"]) == ("70001", "4930")
    assert (first["BU-Schlüssel"], second["BU-Schlüssel"]) == ("9", "")
    assert first["Belegdatum"] == "1503"
    assert first["Belegfeld 1"] == "RE-2026/0815"
    assert first["Buchungstext"] == 'Bürobedarf Müller & Söhne "Nord" RE-2026/0815'
    assert first["WKZ Umsatz"] == "EUR"
    assert all(value == "" for name, value in first.items() if name not in FILLED)


def test_numbers_are_unquoted_and_texts_quoted() -> None:
    line = write_batch(HEADER, [booking()]).decode("cp1252").split("\r\n")[2]
    assert line.startswith('1190,00;"H";"EUR";;;;70001;4930;"9";1503;"RE-2026/0815";;;"Bürobedarf')
    assert 'Söhne ""Nord"" RE' in line  # a quote inside a text is doubled


@pytest.mark.parametrize(("amount", "text"), [("1", "1,00"), ("1234567.891", "1234567,89"), ("0.01", "0,01")])
def test_amounts_have_a_decimal_comma_and_no_thousands_separator(amount: str, text: str) -> None:
    assert amount_text(Decimal(amount)) == text
    assert parse_amount(text) == Decimal(amount).quantize(Decimal("0.01"))


@pytest.mark.parametrize("amount", ["0", "-5", "10000000000"])
def test_amounts_datev_cannot_carry_are_refused(amount: str) -> None:
    with pytest.raises(DatevFormatError):
        amount_text(Decimal(amount))


@pytest.mark.parametrize("number", ["RE 2026_08.15 (Kopie)", "X" * 50, "1.10", "Nr. 7 ÄÖÜ"])
def test_belegfeld_1_keeps_only_what_datev_allows_and_marks_a_changed_number(number: str) -> None:
    field = document_field(number)
    assert re.fullmatch(r"[A-Za-z0-9$&%*+\-/]{1,36}", field)
    assert field != number
    assert re.fullmatch(r".*-[A-Z2-7]{4}", field)
    assert document_field(field) == field  # a changed number is stable under a second pass


def test_numbers_datev_allows_stay_as_they_are() -> None:
    assert document_field("RE-2026/0815") == "RE-2026/0815"
    assert document_fields(["RE-2026/0815", "A1"]) == {}


def test_two_numbers_that_differ_only_in_dropped_characters_stay_apart() -> None:
    mapping = document_fields(["1.10", "11.0", "110"])
    assert set(mapping) == {"1.10", "11.0"}
    assert len({mapping["1.10"], mapping["11.0"], "110"}) == 3
    assert mapping["1.10"].startswith("110-")
    assert {v: k for k, v in mapping.items()}[mapping["11.0"]] == "11.0"  # reversible from the mapping


def test_a_batch_stays_in_one_fiscal_year_and_its_dates() -> None:
    across = BatchHeader(**{**HEADER.__dict__, "date_to": date(2027, 1, 5)})
    with pytest.raises(DatevFormatError, match="fiscal year"):
        write_batch(across, [])
    with pytest.raises(DatevFormatError, match="outside"):
        write_batch(HEADER, [booking(document_date=date(2026, 4, 1))])
