"""`kontor creditors import FILE`: take over the advisor's creditor numbers.

See `app.vendors.creditor_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.vendors.creditor_import import import_creditors, parse_creditor_list

err = Console(stderr=True)
creditors = typer.Typer(help="DATEV creditor accounts.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(creditors, name="creditors")


@creditors.command("import")
def import_list(
    path: Annotated[
        Path, typer.Argument(help="CSV `number;name;vat_id`, or DATEV's Debitoren/Kreditoren export.")
    ],
    actor: Annotated[str, typer.Option("--actor", help="Who imports, for the audit trail.")] = "cli",
) -> None:
    """Give Kontor's creditors the numbers they already have in the advisor's DATEV data."""
    settings = get_settings()
    try:
        rows = parse_creditor_list(path.read_bytes())
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            result = import_creditors(
                session, rows, account_length=settings.booking.datev.account_length, actor=f"cli:{actor}"
            )
    except (KontorError, OSError) as exc:
        err.print(f"[red]{getattr(exc, 'message', exc)}[/red]")
        raise typer.Exit(code=1) from exc
    for warning in result.warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    renumbered = ", ".join(f"{old} → {new}" for old, new in result.renumbered) or "none"
    err.print(f"Renumbered: {renumbered}. New: {len(result.created)}. Unchanged: {len(result.unchanged)}.")
