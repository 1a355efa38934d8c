"""`kontor rates import FILE`: exchange rates for invoices in other currencies (see `app.journal.rates`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.journal.rates import import_rates, parse_rates

err = Console(stderr=True)
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
    settings = get_settings()
    try:
        rows = parse_rates(path.read_bytes())
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            count = import_rates(session, rows, source or path.name)
    except (KontorError, OSError) as exc:
        err.print(f"[red]{getattr(exc, 'message', exc)}[/red]")
        raise typer.Exit(code=1) from exc
    currencies = sorted({currency for _day, currency, _rate in rows})
    err.print(f"Imported {count} rates ({', '.join(currencies) or 'none'}).")
