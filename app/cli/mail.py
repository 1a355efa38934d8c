"""`kontor ingest-mail`: one mail run now, for a first import or a system cron."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from app.config import Settings, get_settings
from app.errors import NotFoundError
from app.logs import configure_logging
from app.mail.lock import MailRunLockedError
from app.mail.run import Summary, ingest_mail

err = Console(stderr=True)
#: EX_TEMPFAIL: another run holds the lock; a cron wrapper may simply try again later.
LOCKED_EXIT_STATUS = 75


def register(app: typer.Typer) -> None:
    app.command("ingest-mail")(ingest_mail_command)


def ingest_mail_command(
    source: Annotated[str | None, typer.Option(help="Only this source (its `name`).")] = None,
) -> None:
    """Read the configured mailboxes once; new documents are queued for processing."""
    settings = get_settings()
    configure_logging(settings)
    if not settings.mail.sources:
        err.print("[red]No mail sources are configured[/red] (KONTOR_MAIL_SOURCES).")
        raise typer.Exit(code=2)
    try:
        summary = _run(settings, source)
    except MailRunLockedError as exc:
        err.print(f"[yellow]{exc.message}[/yellow]")
        raise typer.Exit(code=LOCKED_EXIT_STATUS) from exc
    except NotFoundError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=2) from exc
    err.print(summary_table(summary))
    for error in summary.errors:
        err.print(f"[red]{error}[/red]")
    if summary.errors:
        raise typer.Exit(code=1)


def _run(settings: Settings, source: str | None) -> Summary:
    from app.worker import create_queue  # the pipeline's imports, only when there is work

    queue = create_queue(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done)

        return ingest_mail(settings, source=source, enqueue=queue.process_document, progress=advance)


def summary_table(summary: Summary) -> Table:
    table = Table("messages seen", "documents created", "duplicates", "skipped", "failed", title="Mail run")
    counts = (summary.seen, summary.created, summary.duplicates, summary.skipped, summary.failed)
    table.add_row(*(str(n) for n in counts))
    return table
