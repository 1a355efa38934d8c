"""`kontor export datev --from --to [--out FILE]`: the DATEV Buchungsstapel of a date range."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.exports import datev_export

err = Console(stderr=True)
export = typer.Typer(help="Export the journal.", no_args_is_help=True)

DAY = ["%Y-%m-%d"]


def register(app: typer.Typer) -> None:
    app.add_typer(export, name="export")


@export.command("datev")
def datev(
    date_from: Annotated[
        datetime, typer.Option("--from", formats=DAY, help="First Belegdatum (YYYY-MM-DD).")
    ],
    date_to: Annotated[datetime, typer.Option("--to", formats=DAY, help="Last Belegdatum (YYYY-MM-DD).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write; default: standard output.")
    ] = None,
) -> None:
    """Write the EXTF Buchungsstapel (Windows-1252) of every entry dated in the range."""
    settings = get_settings()
    try:
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            data = datev_export(session, settings, date_from.date(), date_to.date())
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    out.write_bytes(data)
    err.print(f"Wrote {out} ({len(data)} bytes).")
