"""`kontor export datev`: create a DATEV export, write its files; `kontor export gobd`: GoBD data access."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.journal.datev import NothingToExportError, create_export, get_export, list_exports
from app.journal.gobd import write_gobd_export

err = Console(stderr=True)
export = typer.Typer(help="Export the journal.", no_args_is_help=True)

DAY = ["%Y-%m-%d"]


def register(app: typer.Typer) -> None:
    app.add_typer(export, name="export")


@export.command("datev")
def datev(
    date_from: Annotated[
        datetime, typer.Option("--from", formats=DAY, help="First Belegdatum of the period (YYYY-MM-DD).")
    ],
    date_to: Annotated[
        datetime, typer.Option("--to", formats=DAY, help="Last Belegdatum of the period (YYYY-MM-DD).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the EXTF files.")] = Path(),
    again: Annotated[
        bool, typer.Option("--again", help="Export the period's entries again, exported before or not.")
    ] = False,
    actor: Annotated[str, typer.Option("--actor", help="Who exports, for the export ledger.")] = "cli",
) -> None:
    """Export every entry dated up to --to that no export carried yet; record it in the export ledger.

    One EXTF Buchungsstapel (Windows-1252) per fiscal year and 99,999 rows, written to --out.
    """
    settings = get_settings()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            created = create_export(
                session, settings, date_from.date(), date_to.date(), actor=f"cli:{actor}", again=again
            )
            # Written before the commit: a file that cannot be written leaves no export recorded.
            for batch in created.batches:
                (out / batch.filename).write_bytes(batch.content)
            files = [(out / b.filename, b.rows) for b in created.batches]
            warnings = list(created.warnings)
            export_id = created.id
    except NothingToExportError as exc:
        err.print(exc.message)
        return
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    for warning in warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    for path, rows in files:
        err.print(f"Wrote {path} ({rows} rows).")
    err.print(f"Export {export_id} recorded.")


@export.command("list")
def list_datev(
    limit: Annotated[int, typer.Option("--limit", help="Newest first, at most this many.")] = 20,
) -> None:
    """Past DATEV exports from the export ledger, with their files."""
    settings = get_settings()
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        for made in list_exports(session, limit=limit):
            again = " (again)" if made.again else ""
            typer.echo(
                f"{made.id}  {made.created_at:%Y-%m-%d %H:%M}  {made.created_by}  "
                f"{made.period_from} .. {made.period_to}{again}"
            )
            for b in made.batches:
                typer.echo(
                    f"    {b.sequence}  {b.filename}  {b.rows} rows  {b.gross_amount} EUR  sha256 {b.sha256}"
                )


@export.command("download")
def download(
    export_id: Annotated[int, typer.Argument(help="The export's id (kontor export list).")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the files.")] = Path(),
) -> None:
    """Write the files of a past export again, byte for byte as exported."""
    settings = get_settings()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            made = get_export(session, export_id)
            for batch in made.batches:
                (out / batch.filename).write_bytes(batch.content)
                err.print(f"Wrote {out / batch.filename} ({batch.rows} rows).")
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc


@export.command("gobd")
def gobd(
    date_from: Annotated[
        datetime, typer.Option("--from", formats=DAY, help="First Belegdatum (YYYY-MM-DD).")
    ],
    date_to: Annotated[datetime, typer.Option("--to", formats=DAY, help="Last Belegdatum (YYYY-MM-DD).")],
    out: Annotated[Path, typer.Option("--out", help="Directory for index.xml, the CSVs and the originals.")],
) -> None:
    """GoBD data access (Z3) for auditors: journal, documents index and originals, described by index.xml."""
    settings = get_settings()
    try:
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            files = write_gobd_export(
                session, settings.company_name or "", date_from.date(), date_to.date(), out
            )
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"Wrote {len(files)} files to {out}.")
