"""`kontor serve`, `kontor worker`, `kontor migrate`."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from rich.panel import Panel

from app.cli.common import configured_settings, err, or_exit
from app.config import Settings
from app.db import get_engine, get_sessionmaker, session_scope
from app.migrate import alembic_config, upgrade
from app.models import Role
from app.security import create_key, has_admin_key

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.command()(migrate)


def migrate(
    backup: Annotated[
        bool, typer.Option("--backup", help="Write a backup archive to the backup folder first.")
    ] = False,
) -> None:
    """Apply all database migrations (safe to run again); refuses a database from a newer Kontor."""
    from app.ops.errors import BackupError, UpgradeError
    from app.ops.upgrade import pre_upgrade_backup, revisions

    settings = configured_settings()
    refused = (UpgradeError, BackupError)
    current, head = or_exit(lambda: revisions(settings.resolved_database_url), code=2, errors=refused)
    if backup and current is not None and current != head:
        where = or_exit(lambda: pre_upgrade_backup(settings, head), code=2, errors=refused)
        err.print(f"Backup before the upgrade: {where}")
    upgrade(settings.resolved_database_url)
    err.print(f"[green]Database is up to date[/green] ({_redacted(settings.resolved_database_url)})")


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default KONTOR_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KONTOR_PORT).")] = None,
    with_worker: Annotated[
        bool, typer.Option("--with-worker/--no-worker", help="Run the queue consumer here.")
    ] = True,
) -> None:
    """Run the API, the queue consumer and the scheduler in one process."""
    import uvicorn

    from app.errors import ConfigurationError
    from app.main import create_app
    from app.ops.http import uvicorn_options

    settings = configured_settings()
    bind = host or settings.host
    options = or_exit(lambda: uvicorn_options(settings, bind), code=2, errors=(ConfigurationError,))
    _require_migrated(settings)
    _first_start_admin_key(settings)
    app = create_app(settings, run_consumer=with_worker)
    uvicorn.run(app, host=bind, port=port or settings.port, log_config=None, **options)


def worker() -> None:
    """Consume the queue (for `KONTOR_QUEUE_URL=redis://...` deployments with many workers)."""
    from app.worker import create_consumer, create_queue, requeue_stale

    settings = configured_settings()
    _require_migrated(settings)
    queue = create_queue(settings)
    requeue_stale(settings, queue.process_document)
    consumer = create_consumer(queue, settings)
    consumer.run()


def _require_migrated(settings: Settings) -> None:
    script = ScriptDirectory.from_config(alembic_config(settings.resolved_database_url))
    with get_engine(settings.resolved_database_url).connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != script.get_current_head():
        err.print("[red]The database is not migrated.[/red] Run `kontor migrate` first.")
        raise typer.Exit(code=2)


def _first_start_admin_key(settings: Settings) -> None:
    with session_scope(get_sessionmaker(settings.resolved_database_url)) as session:
        if has_admin_key(session):
            return
        _key, plaintext = create_key(session, role=Role.ADMIN, name="first start")
    err.print(
        Panel(
            f"[bold]{plaintext}[/bold]\n\nThis admin API key is shown once. Store it now; "
            "create more with `kontor keys create --role ...`.",
            title="Kontor admin key",
        )
    )


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
