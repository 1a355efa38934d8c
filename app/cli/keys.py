"""`kontor keys create|list|revoke`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError, NotFoundError
from app.models import ApiKey, AuditEvent, Role
from app.review.models import User
from app.security import create_key, revoke_key

app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _factory() -> sessionmaker[Session]:
    return get_sessionmaker(get_settings().resolved_database_url)


@app.command()
def create(
    role: Annotated[Role, typer.Option(help="uploader, reviewer or admin.")],
    name: Annotated[str, typer.Option(help="Who or what uses the key.")] = "",
    user: Annotated[str | None, typer.Option(help="The review user the key belongs to.")] = None,
) -> None:
    """Create a key; the key itself is the last line of output."""
    try:
        with session_scope(_factory()) as session:
            owner = _user_id(session, user) if user else None
            key, plaintext = create_key(session, role=role, name=name, user_id=owner)
            after = {"prefix": key.prefix, "role": role, "user": user}
            session.add(AuditEvent(actor="cli", action="key.create", after=after))
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"Created {role.value} key {key.prefix}. It is shown once:")
    typer.echo(plaintext)


def _user_id(session: Session, username: str) -> int:
    found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise NotFoundError(f"No user {username!r}; create one with `kontor users add`.")
    return found


@app.command("list")
def list_keys() -> None:
    """Show all keys (never the secrets)."""
    table = Table("prefix", "role", "name", "created", "last used", "revoked")
    with session_scope(_factory()) as session:
        for key in session.scalars(select(ApiKey).order_by(ApiKey.id)):
            table.add_row(
                key.prefix,
                key.role.value,
                key.name,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
            )
    out.print(table)


@app.command()
def revoke(prefix: Annotated[str, typer.Argument(help="The key's prefix, as `keys list` shows it.")]) -> None:
    """Revoke a key; requests with it are refused from now on."""
    try:
        with session_scope(_factory()) as session:
            revoke_key(session, prefix)
            session.add(AuditEvent(actor="cli", action="key.revoke", before={"prefix": prefix}))
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"Revoked {prefix}.")
