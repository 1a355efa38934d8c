"""`kontor train`: learn from the approved invoices; `--status` lists the versions, `--rollback` goes
back to the previous one (see `app.learning.train` for what is learned and how the gate decides)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.config import Settings, get_settings
from app.db import get_sessionmaker
from app.errors import KontorError
from app.learning.store import Manifest, ModelStore
from app.learning.train import retrain

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("train")(train)


def train(
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Make the version before the current one current again.")
    ] = False,
    status: Annotated[bool, typer.Option("--status", help="List the versions and the current one.")] = False,
) -> None:
    """Retrain extraction on the shipped corpus plus this installation's approved invoices.

    The new version replaces the current one only if it is not worse on a held-back slice of the
    approved invoices and on the corpus; both figures are printed. Every version is kept.
    """
    settings = get_settings()
    store = ModelStore(settings.models_dir)
    try:
        if status:
            _print_status(store)
        elif rollback:
            previous = store.rollback()
            out.print(f"Current model: {previous or 'the shipped model'}.")
        else:
            _train(settings)
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc


def _train(settings: Settings) -> None:
    manifest = retrain(settings, get_sessionmaker(settings.resolved_database_url))
    out.print(
        f"{manifest.version}: learned from {len(manifest.trained_on)} approved invoices "
        f"({manifest.vendors} vendors); {len(manifest.held_back)} held back to judge it."
    )
    old = manifest.replaced or "shipped"
    out.print(f"  held-back invoices  new {manifest.held_back_new}   {old} {manifest.held_back_old}")
    out.print(f"  corpus              new {manifest.corpus_new}   {old} {manifest.corpus_old}")
    verdict = "[green]accepted[/green]" if manifest.accepted else "[yellow]refused[/yellow]"
    out.print(f"{verdict}: {manifest.reason}.")


def _print_status(store: ModelStore) -> None:
    current = store.current()
    out.print(f"Current model: {current or 'the shipped model'} ({store.root})")
    table = Table()
    for column in ("version", "trained", "invoices", "held back", "corpus", "gate", ""):
        table.add_column(column)
    for version in store.versions():
        table.add_row(*_row(store.manifest(version), current))
    out.print(table)


def _row(manifest: Manifest, current: str | None) -> list[str]:
    return [
        manifest.version,
        manifest.created_at.strftime("%Y-%m-%d %H:%M"),
        str(len(manifest.trained_on)),
        f"{manifest.held_back_new} (was {manifest.held_back_old})",
        f"{manifest.corpus_new} (was {manifest.corpus_old})",
        "accepted" if manifest.accepted else "refused",
        "current" if manifest.version == current else "",
    ]
