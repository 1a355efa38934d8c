"""What the commands share: the start-up, and a refused operation as a red message and an exit code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.logs import configure_logging

err = Console(stderr=True)
T = TypeVar("T")
R = TypeVar("R")


def configured_settings() -> Settings:
    """The settings, with logging configured by them: the start of a long-running or operations command."""
    settings = get_settings()
    configure_logging(settings)
    return settings


def or_exit(
    work: Callable[[], T],
    *,
    code: int | None = None,
    errors: tuple[type[KontorError], ...] = (KontorError,),
) -> T:
    """`work()`; on one of `errors`, its message in red and exit `code` (by default 1 for a failure of
    Kontor's own, 2 for a refusal)."""
    try:
        return work()
    except errors as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=code or (1 if exc.status_code >= 500 else 2)) from exc


def import_rows(path: Path, parse: Callable[[bytes], R], store: Callable[[Session, R], T]) -> tuple[R, T]:
    """The rows `parse` reads from the file at `path`, and what `store` made of them in one transaction.

    A file that cannot be read or parsed, or rows refused, end the command with exit code 1.
    """
    settings = get_settings()
    try:
        rows = parse(path.read_bytes())
        with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
            return rows, store(session, rows)
    except (KontorError, OSError) as exc:
        err.print(f"[red]{getattr(exc, 'message', exc)}[/red]")
        raise typer.Exit(code=1) from exc
