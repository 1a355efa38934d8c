"""`kontor creditors import FILE`: take over the advisor's creditor numbers.

See `app.vendors.creditor_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import err, import_rows
from app.config import get_settings
from app.vendors.creditor_import import import_creditors, parse_creditor_list

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
    account_length = get_settings().booking.datev.account_length
    _rows, result = import_rows(
        path,
        parse_creditor_list,
        lambda session, rows: import_creditors(
            session, rows, account_length=account_length, actor=f"cli:{actor}"
        ),
    )
    for warning in result.warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    renumbered = ", ".join(f"{old} → {new}" for old, new in result.renumbered) or "none"
    err.print(f"Renumbered: {renumbered}. New: {len(result.created)}. Unchanged: {len(result.unchanged)}.")
