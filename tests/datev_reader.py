"""A strict reader for DATEV EXTF Buchungsstapel files, written from the column tables in `tests/data`.

It shares no code with `agents.booking.datev`: it splits the raw fields itself, checks each against its
type, length and allowed values in `datev_extf700_columns.csv` / `datev_extf700_header.csv`, and raises
`ExtfError` naming the line and field of the first violation.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).parent / "data"
_FIELD = re.compile(r'"(?:[^"]|"")*"|[^;"\r\n]*')


class ExtfError(AssertionError):
    pass


@dataclass(frozen=True)
class FieldSpec:
    number: int
    name: str
    type: str
    length: int
    decimals: int
    values: frozenset[str]


@dataclass(frozen=True)
class Extf:
    header: list[str]
    rows: list[dict[str, str]]


def load_specs(name: str) -> list[FieldSpec]:
    with (DATA / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [
        FieldSpec(
            number=int(r["number"]),
            name=r["name"],
            type=r["type"],
            length=int(r["length"]),
            decimals=int(r["decimals"] or 0),
            values=frozenset(v for v in r["values"].split("|") if v),
        )
        for r in csv.DictReader(lines, delimiter=";")
    ]


COLUMNS = load_specs("datev_extf700_columns.csv")
CREDITOR_COLUMNS = load_specs("datev_extf700_creditors.csv")
HEADER = load_specs("datev_extf700_header.csv")
#: Data category → (its name, format version, columns).
CATEGORIES = {"21": ("Buchungsstapel", "13", COLUMNS), "16": ("Debitoren/Kreditoren", "5", CREDITOR_COLUMNS)}


def split_fields(line: str) -> list[str]:
    """The raw fields of one line, quotes kept; refuses anything but `;`-separated quoted or plain fields."""
    fields: list[str] = []
    position = 0
    while True:
        match = _FIELD.match(line, position)
        assert match is not None  # the pattern matches the empty string
        fields.append(match.group())
        position = match.end()
        if position == len(line):
            return fields
        if line[position] != ";":
            raise ExtfError(f"stray character {line[position]!r} at {position} in {line[:80]!r}")
        position += 1


def _unquote(raw: str, spec: FieldSpec, where: str) -> str:
    if spec.type in ("text", "empty") and raw.startswith('"'):
        return raw[1:-1].replace('""', '"')
    if raw.startswith('"'):
        raise ExtfError(f"{where}: {spec.name} is a {spec.type}, written unquoted, not {raw!r}")
    if spec.type == "text" and raw:
        raise ExtfError(f"{where}: {spec.name} is text, written in quotes, not {raw!r}")
    return raw


def check_value(raw: str, spec: FieldSpec, where: str) -> str:
    """The field's value, after checking `raw` against `spec`."""
    value = _unquote(raw, spec, where)
    if value == "":
        return value
    if spec.values and value not in spec.values:
        raise ExtfError(f"{where}: {spec.name} is {value!r}, allowed: {sorted(spec.values)}")
    pattern = _pattern(spec)
    if not re.fullmatch(pattern, value):
        raise ExtfError(f"{where}: {spec.name} {value!r} does not match {spec.type}({spec.length})")
    if spec.type.startswith("date") or spec.type == "timestamp":
        _check_day(value, spec, where)
    return value


def _pattern(spec: FieldSpec) -> str:
    n, d = spec.length, spec.decimals
    return {
        "amount": rf"\d{{1,{n}}},\d{{{d}}}",
        "number": rf"\d{{1,{n}}}" + (rf"(,\d{{1,{d}}})?" if d else ""),
        "account": rf"\d{{1,{n}}}",
        "text": rf"[^\r\n]{{0,{n}}}" if n else r"[^\r\n]*",
        "date_ddmm": r"\d{4}",
        "date_ddmmyyyy": r"\d{8}",
        "date_yyyymmdd": r"\d{8}",
        "timestamp": r"\d{17}",
        "empty": r"",
    }[spec.type]


def _check_day(value: str, spec: FieldSpec, where: str) -> None:
    formats = {
        "date_ddmm": "%d%m%Y",
        "date_ddmmyyyy": "%d%m%Y",
        "date_yyyymmdd": "%Y%m%d",
        "timestamp": "%Y%m%d%H%M%S",
    }
    text = value + "2024" if spec.type == "date_ddmm" else value[:14] if spec.type == "timestamp" else value
    try:
        datetime.strptime(text, formats[spec.type])
    except ValueError as exc:
        raise ExtfError(f"{where}: {spec.name} {value!r} is no real day") from exc


def read_extf(data: bytes) -> Extf:
    """Parse and check a whole EXTF file (Buchungsstapel or Debitoren/Kreditoren, by its header):
    Windows-1252, CRLF lines, header, column line, rows."""
    text = data.decode("cp1252")
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
        raise ExtfError("lines end in CRLF, and only there")
    lines = text[:-2].split("\r\n")
    header = _checked(lines[0], HEADER, "header")
    name, version, columns = CATEGORIES[header[2]]
    if (header[3], header[4]) != (name, version):
        raise ExtfError(f"category {header[2]} is {name} {version}, not {header[3]} {header[4]}")
    names = [f[1:-1] if f.startswith('"') else f for f in split_fields(lines[1])]  # either is accepted
    if names != [c.name for c in columns]:
        raise ExtfError(
            "the column line differs from the table: " + str(set(names) ^ {c.name for c in columns})
        )
    rows = [
        dict(zip(names, _checked(line, columns, f"line {i}"), strict=True))
        for i, line in enumerate(lines[2:], 3)
    ]
    return Extf(header=header, rows=rows)


def _checked(line: str, specs: list[FieldSpec], where: str) -> list[str]:
    raws = split_fields(line)
    if len(raws) != len(specs):
        raise ExtfError(f"{where}: {len(raws)} fields, the format has {len(specs)}")
    return [
        check_value(raw, spec, f"{where} field {spec.number}") for raw, spec in zip(raws, specs, strict=True)
    ]


def amount(value: str) -> Decimal:
    return Decimal(value.replace(",", "."))


def signed_total(extf: Extf) -> Decimal:
    """Σ in EUR of the rows with credits of `Konto` positive (Basis-Umsatz for rows in another currency); a
    Generalumkehr row counts with the opposite sign."""
    total = Decimal(0)
    for row in extf.rows:
        sign = 1 if row["Soll/Haben-Kennzeichen"] == "H" else -1
        if row["Generalumkehr (GU)"] == "1":
            sign = -sign
        foreign = row["WKZ Umsatz"] not in ("", "EUR")
        total += sign * amount(row["Basis-Umsatz" if foreign else "Umsatz (ohne Soll/Haben-Kz)"])
    return total
