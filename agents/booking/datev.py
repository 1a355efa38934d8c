"""DATEV "Buchungsstapel" in the EXTF format (version 700, data category 21, format version 13), and a parser.

The file is Windows-1252 text, lines end in CRLF, fields are separated by `;`, text fields are quoted with `"`
(a quote inside is doubled), numbers are unquoted with a decimal comma and no thousands separator.

Line 1, the header record (31 fields):
 1 "EXTF" · 2 version 700 · 3 data category 21 · 4 "Buchungsstapel" · 5 format version 13 ·
 6 created (YYYYMMDDHHMMSSFFF) · 7 imported (empty) · 8 origin (2 letters) · 9 exported by · 10 imported by ·
 11 consultant number (Beraternummer, 1001-9999999) · 12 client number (Mandantennummer, 1-99999) ·
 13 fiscal year start (YYYYMMDD) · 14 account length (Sachkontenlänge, 4-8) · 15 date from · 16 date to
 (YYYYMMDD) · 17 label · 18 dictation code · 19 booking type (1 = financial accounting) ·
 20 accounting purpose (0) · 21 fixed (Festschreibung, 0 = not yet) · 22 currency "EUR" · 23 reserved ·
 24 derivative flag · 25-26 reserved · 27 chart ("03", "04" or empty) · 28 industry solution ID ·
 29-30 reserved · 31 application information.
Line 2, the column names (`COLUMNS`, 125 fields). Then one line per booking with these fields filled:
 1 Umsatz (amount, always positive, 2 decimals) · 2 Soll/Haben-Kennzeichen ("S"/"H": debit or credit of
 `Konto`) · 3 WKZ Umsatz · 4 Kurs (units per EUR, 6 decimals) · 5 Basis-Umsatz (EUR) · 6 WKZ Basis-Umsatz
 (foreign-currency rows only) · 7 Konto · 8 Gegenkonto (ohne BU-Schlüssel) · 9 BU-Schlüssel (tax key) ·
 10 Belegdatum (TTMM; the year comes from the header's dates) · 11 Belegfeld 1 (invoice number: up to 36 of
 A-Z a-z 0-9 $ & % * + - /, see `document_field`) · 14 Buchungstext (up to 60 characters) ·
 20 Beleglink (`BEDI "<GUID>"`, 210) · 103 Buchungs GUID (36) · 114 Festschreibung (0/1, the header's
 field 21) · 115 Leistungsdatum ·
 116 Datum Zuord. Steuerperiode · 117 Fälligkeit (TTMMJJJJ) · 118 Generalumkehr ("0"/"1") ·
 123 EU-Land u. UStID (Ursprung) (the supplier's VAT ID, up to 15).

A batch SHALL lie within one fiscal year, every Belegdatum within the header's date range, and hold at most
`MAX_ROWS` bookings (DATEV's import limit per batch).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from agents.booking.datev_columns import COLUMNS
from agents.booking.errors import DatevFormatError

ENCODING = "cp1252"
FORMAT_VERSION = 700
DATA_CATEGORY = 21
FORMAT_NAME = "Buchungsstapel"
CATEGORY_VERSION = 13
HEADER_FIELDS = 31
ORIGIN = "KO"

#: Columns Kontor fills, by name; every other column stays empty.
FILLED = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Buchungstext",
    "Beleglink",
    "Buchungs GUID",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "EU-Land u. UStID (Ursprung)",
)
MAX_AMOUNT = Decimal("9999999999.99")
#: DATEV imports at most 99,999 rows per batch.
MAX_ROWS = 99_999
BELEGFELD_LENGTH = 36
_BELEGFELD = re.compile(r"[^A-Za-z0-9$&%*+\-/]")
_SUFFIX_LENGTH = 4


@dataclass(frozen=True)
class BatchHeader:
    created_at: datetime
    consultant_number: int
    client_number: int
    fiscal_year_start: date
    account_length: int
    date_from: date
    date_to: date
    #: "03", "04" or "" for a company chart.
    chart: str = ""
    label: str = "Kontor Rechnungseingang"
    exported_by: str = "Kontor"
    currency: str = "EUR"
    #: Festschreibung: header field 21 and column 114 of every row.
    fixed: bool = False


@dataclass(frozen=True)
class Booking:
    amount: Decimal
    #: Debit ("S") or credit ("H") of `account`.
    side: Literal["S", "H"]
    account: str
    contra_account: str
    tax_key: str | None
    document_date: date
    document_number: str
    text: str
    currency: str = "EUR"
    #: Buchungs-GUID: the same booking keeps it in every export, so DATEV recognises a repeat.
    guid: str = ""
    service_date: date | None = None
    tax_period_date: date | None = None
    due_date: date | None = None
    #: Generalumkehr: the reversal of a booking written with the original's sides.
    reversal: bool = False
    #: EU-Land u. UStID (Ursprung): the supplier's VAT ID on intra-EU cases.
    origin_vat_id: str = ""
    #: Beleglink: `BEDI "<GUID>"` of the document in the export's bundle (`datev_documents`).
    document_link: str = ""
    #: A foreign-currency row: `amount` is in `currency`, `base_amount` in EUR, `rate` units per EUR.
    rate: Decimal | None = None
    base_amount: Decimal | None = None


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def amount_text(amount: Decimal) -> str:
    """`1234.5` → `1234,50`; DATEV wants positive amounts below ten billion."""
    if amount <= 0 or amount > MAX_AMOUNT:
        raise DatevFormatError(f"DATEV cannot carry the amount {amount}")
    return f"{amount.quantize(Decimal('0.01')):f}".replace(".", ",")


def _long_day(value: date | None) -> str:
    return value.strftime("%d%m%Y") if value else ""


def signed_amount(booking: Booking) -> Decimal:
    """The row's EUR amount, credits of `Konto` (the creditor) positive; a Generalumkehr counts negative."""
    sign = 1 if booking.side == "H" else -1
    amount = booking.base_amount if booking.base_amount is not None else booking.amount
    return amount * (-sign if booking.reversal else sign)


def document_field(number: str) -> str:
    """Belegfeld 1 for invoice number `number`: unchanged where DATEV allows it as it is.

    Otherwise the allowed characters (at most 31) plus "-" and four characters of a hash of the original,
    so that two numbers that differ only in dropped characters ("1.10", "11.0") stay apart.
    """
    if not _BELEGFELD.search(number) and len(number) <= BELEGFELD_LENGTH:
        return number
    digest = base64.b32encode(hashlib.sha256(number.encode()).digest()).decode()[:_SUFFIX_LENGTH]
    kept = _BELEGFELD.sub("", number)[: BELEGFELD_LENGTH - _SUFFIX_LENGTH - 1]
    return f"{kept}-{digest}"


def document_fields(numbers: Iterable[str]) -> dict[str, str]:
    """Original → Belegfeld 1 for every number that had to change (the reversible mapping to keep).

    Raises `DatevFormatError` if two different numbers would still share a Belegfeld 1.
    """
    changed = {n: document_field(n) for n in set(numbers) if document_field(n) != n}
    seen: dict[str, str] = {}
    for original in sorted(set(numbers)):
        field = changed.get(original, original)
        if seen.setdefault(field, original) != original:
            raise DatevFormatError(f"Invoice numbers {seen[field]!r} and {original!r} share Belegfeld 1.")
    return changed


def header_record(
    header: BatchHeader,
    *,
    category: int = DATA_CATEGORY,
    name: str = FORMAT_NAME,
    version: int = CATEGORY_VERSION,
) -> list[str]:
    """Line 1 of an EXTF file; fields 15-24 concern bookings and stay empty in master data (category 16)."""
    bookings = category == DATA_CATEGORY
    return [
        quoted("EXTF"),
        str(FORMAT_VERSION),
        str(category),
        quoted(name),
        str(version),
        header.created_at.strftime("%Y%m%d%H%M%S") + f"{header.created_at.microsecond // 1000:03d}",
        "",
        quoted(ORIGIN),
        quoted(header.exported_by[:25]),
        quoted(""),
        str(header.consultant_number),
        str(header.client_number),
        _day(header.fiscal_year_start),
        str(header.account_length),
        *(_booking_header(header) if bookings else ["", "", quoted(""), quoted(""), "", "", "", quoted("")]),
        "",
        quoted(""),
        "",
        "",
        quoted(header.chart),
        "",
        "",
        quoted(""),
        quoted(""),
    ]


def _booking_header(header: BatchHeader) -> list[str]:
    """Fields 15-22: the batch's dates, label, dictation code, booking type, purpose, fixed, currency."""
    return [
        _day(header.date_from),
        _day(header.date_to),
        quoted(header.label[:30]),
        quoted(""),
        "1",
        "0",
        "1" if header.fixed else "0",
        quoted(header.currency),
    ]


def booking_record(booking: Booking, header: BatchHeader) -> list[str]:
    values = {
        "Umsatz (ohne Soll/Haben-Kz)": amount_text(booking.amount),
        "Soll/Haben-Kennzeichen": quoted(booking.side),
        "WKZ Umsatz": quoted(booking.currency),
        "Kurs": f"{booking.rate:.6f}".replace(".", ",") if booking.base_amount is not None else "",
        "Basis-Umsatz": amount_text(booking.base_amount) if booking.base_amount is not None else "",
        "WKZ Basis-Umsatz": quoted("EUR") if booking.base_amount is not None else "",
        "Konto": booking.account,
        "Gegenkonto (ohne BU-Schlüssel)": booking.contra_account,
        "BU-Schlüssel": quoted(booking.tax_key or ""),
        "Belegdatum": booking.document_date.strftime("%d%m"),
        "Belegfeld 1": quoted(document_field(booking.document_number)),
        "Buchungstext": quoted(" ".join(booking.text.split())[:60]),
        "Beleglink": quoted(booking.document_link[:210]),
        "Buchungs GUID": quoted(booking.guid),
        "Festschreibung": "1" if header.fixed else "0",
        "Leistungsdatum": _long_day(booking.service_date),
        "Datum Zuord. Steuerperiode": _long_day(booking.tax_period_date),
        "Fälligkeit": _long_day(booking.due_date),
        "Generalumkehr (GU)": quoted("1" if booking.reversal else "0"),
        "EU-Land u. UStID (Ursprung)": quoted(booking.origin_vat_id[:15]),
    }
    return [values.get(name, "") for name in COLUMNS]


def check_batch(header: BatchHeader, bookings: list[Booking]) -> None:
    """Raise `DatevFormatError` for a batch DATEV would refuse."""
    if header.date_from > header.date_to:
        raise DatevFormatError("The export's start date lies after its end date.")
    if (
        not header.fiscal_year_start
        <= header.date_from
        <= header.date_to
        < _next_year(header.fiscal_year_start)
    ):
        raise DatevFormatError("A DATEV batch covers one fiscal year at most; split the export.")
    outside = [b for b in bookings if not header.date_from <= b.document_date <= header.date_to]
    if outside:
        raise DatevFormatError(f"{len(outside)} bookings lie outside the batch's dates.")
    if len(bookings) > MAX_ROWS:
        raise DatevFormatError(f"A DATEV batch holds at most {MAX_ROWS} rows; split the export.")


def chunks(bookings: list[Booking], size: int = MAX_ROWS) -> list[list[Booking]]:
    """`bookings` in batches of at most `size` rows, in order."""
    return [bookings[i : i + size] for i in range(0, len(bookings), size)] or [[]]


def _next_year(start: date) -> date:
    return start.replace(year=start.year + 1)


def write_batch(header: BatchHeader, bookings: list[Booking]) -> bytes:
    """The EXTF file: header record, column names, one line per booking; Windows-1252, CRLF."""
    check_batch(header, bookings)
    records = [
        header_record(header),
        [quoted(c) for c in COLUMNS],
        *(booking_record(b, header) for b in bookings),
    ]
    text = "".join(";".join(record) + "\r\n" for record in records)
    return text.encode(ENCODING, errors="replace")


@dataclass(frozen=True)
class ParsedBatch:
    header: list[str]
    columns: list[str]
    rows: list[dict[str, str]]
    #: Fields per data line, to check that each has as many as the column line.
    widths: list[int]


def parse_batch(data: bytes) -> ParsedBatch:
    """Read an EXTF file back (for tests and checks): fields unquoted, nothing else converted."""
    text = data.decode(ENCODING)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    if len(records) < 2:
        raise DatevFormatError("An EXTF file has a header record and a column line at least.")
    header, columns, body = records[0], records[1], records[2:]
    rows = [dict(zip(columns, record, strict=False)) for record in body]
    return ParsedBatch(header=header, columns=columns, rows=rows, widths=[len(r) for r in body])


def parse_amount(value: str) -> Decimal:
    return Decimal(value.replace(",", "."))
