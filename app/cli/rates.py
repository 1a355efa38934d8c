"""`kontor rates import FILE`: exchange rates for invoices in other currencies (see `app.journal.rates`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import err, import_rows
from app.journal.rates import import_rates, parse_rates

rates = typer.Typer(help="Exchange rates (imported, never fetched).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(rates, name="rates")


@rates.command("import")
def import_file(
    path: Annotated[
        Path, typer.Argument(help="The ECB reference-rate CSV, or `date;currency;rate` (per EUR).")
    ],
    source: Annotated[str, typer.Option("--source", help="Where the rates come from.")] = "",
) -> None:
    """Store the rates of FILE; invoices in those currencies are then booked in EUR at them."""
    rows, count = import_rows(
        path, parse_rates, lambda session, rows: import_rates(session, rows, source or path.name)
    )
    currencies = sorted({currency for _day, currency, _rate in rows})
    err.print(f"Imported {count} rates ({', '.join(currencies) or 'none'}).")
