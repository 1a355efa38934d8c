"""The column names of DATEV's EXTF 700 formats, in file order, kept as data in `datev_columns.toml`.

DATEV matches columns by position; the names are written as each file's second line.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from agents.tables import read_table


class _Columns(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    bookings: tuple[str, ...] = Field(min_length=125, max_length=125)
    creditors: tuple[str, ...] = Field(min_length=254, max_length=254)


_TABLE = _Columns.model_validate(read_table(__name__.rpartition(".")[0], "datev_columns.toml"))
#: Buchungsstapel (data category 21, format version 13).
COLUMNS: tuple[str, ...] = _TABLE.bookings
#: Debitoren/Kreditoren (data category 16, format version 5).
CREDITOR_COLUMNS: tuple[str, ...] = _TABLE.creditors
