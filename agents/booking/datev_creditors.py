"""DATEV "Debitoren/Kreditoren" master data (EXTF 700, data category 16, format version 5), for creditors.

Same file conventions as the Buchungsstapel (`agents.booking.datev`): Windows-1252, CRLF, `;`, texts
quoted. Line 1 is the header record (fields 15-24, which concern bookings, stay empty), line 2 the 254
column names, then one line per creditor account with these fields filled:
 1 Konto · 2 Name (Adressatentyp Unternehmen, 50) · 7 Adressatentyp ("2" = company) · 8 Kurzbezeichnung (15)
 · 9 EU-Land + 10 EU-UStID (the VAT ID split into country and number) · 15 Adressart ("STR") · 16 Straße
 (36) · 18 Postleitzahl (10) · 19 Ort (30) · 20 Land (ISO 3166-1) · 44 Länderkennzeichen 1 · 45 IBAN-Nr. 1 ·
 47 SWIFT-Code 1 · 49 Kennz. Hauptbankverb. 1 ("1") · 100 Steuernummer (20).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.booking.datev import ENCODING, BatchHeader, header_record, quoted
from agents.booking.datev_columns import CREDITOR_COLUMNS

DATA_CATEGORY = 16
FORMAT_NAME = "Debitoren/Kreditoren"
CATEGORY_VERSION = 5
COLUMNS = CREDITOR_COLUMNS
_POSTCODE_CITY = re.compile(r"^(?:[A-Z]{1,2}-)?(\d{4,5})\s+(.+)$")


@dataclass(frozen=True)
class CreditorRecord:
    number: int
    name: str
    vat_id: str = ""
    tax_number: str = ""
    #: The address as the invoice prints it; `split_address` finds street, postcode and city in it.
    address: str = ""
    country: str = ""
    iban: str = ""
    bic: str = ""


def split_address(address: str) -> tuple[str, str, str]:
    """(street, postcode, city) from "Hauptstr. 5, 12345 Berlin" (or lines); what is not found stays empty."""
    parts = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
    for index, part in enumerate(parts):
        match = _POSTCODE_CITY.match(part)
        if match:
            street = parts[index - 1] if index else ""
            return street, match.group(1), match.group(2)
    return (parts[0] if parts else ""), "", ""


def _vat_parts(vat_id: str) -> tuple[str, str]:
    compact = "".join(vat_id.split()).upper()
    if len(compact) > 2 and compact[:2].isalpha():
        return compact[:2], compact[2:]
    return "", ""


def creditor_record(record: CreditorRecord) -> list[str]:
    street, postcode, city = split_address(record.address)
    eu_country, eu_number = _vat_parts(record.vat_id)
    iban = "".join(record.iban.split()).upper()
    values = {
        "Konto": str(record.number),
        "Name (Adressatentyp Unternehmen)": quoted(record.name[:50]),
        "Adressatentyp": quoted("2"),
        "Kurzbezeichnung": quoted(record.name[:15]),
        "EU-Land": quoted(eu_country),
        "EU-UStID": quoted(eu_number[:13]),
        "Adressart": quoted("STR" if street or city else ""),
        "Straße": quoted(street[:36]),
        "Postleitzahl": quoted(postcode[:10]),
        "Ort": quoted(city[:30]),
        "Land": quoted(record.country.upper()[:2]),
        "Länderkennzeichen 1": quoted(iban[:2]),
        "IBAN-Nr. 1": quoted(iban[:34]),
        "SWIFT-Code 1": quoted(record.bic.upper()[:11]),
        "Kennz. Hauptbankverb. 1": quoted("1" if iban else ""),
        "Steuernummer": quoted(record.tax_number[:20]),
    }
    return [values.get(name, "") for name in COLUMNS]


def write_creditors(header: BatchHeader, records: list[CreditorRecord]) -> bytes:
    """The EXTF master data file of `records`; Windows-1252, CRLF."""
    first = header_record(header, category=DATA_CATEGORY, name=FORMAT_NAME, version=CATEGORY_VERSION)
    lines = [first, [quoted(c) for c in COLUMNS], *(creditor_record(r) for r in records)]
    text = "".join(";".join(line) + "\r\n" for line in lines)
    return text.encode(ENCODING, errors="replace")
