"""`kontor users add|list|disable|reset-password`: the people who log in to the review pages."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings
from app.db import get_sessionmaker, session_scope
from app.errors import KontorError
from app.review.auth import create_user, disable_user, list_users
from app.review.models import UserRole
from app.review.passwords import reset_password

ACTOR = "cli"

users = typer.Typer(help="Manage the users of the review pages.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")


def _factory() -> sessionmaker[Session]:
    return get_sessionmaker(get_settings().resolved_database_url)


@users.command()
def add(
    name: Annotated[str, typer.Argument(help="The user name to log in with.")],
    role: Annotated[UserRole, typer.Option(help="reviewer or admin (admins also manage users).")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
) -> None:
    """Add a user; the password is asked for twice (or read from stdin)."""
    password = (
        _read_password()
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        with session_scope(_factory()) as session:
            user = create_user(session, name, password, role=role, actor=ACTOR)
            username = user.username
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"Added {role.value} {username}.")


def _read_password() -> str:
    # One line, without its line ending: `printf '%s\n' "$PW" | kontor users add ...` works as expected.
    return sys.stdin.readline().rstrip("\r\n")


@users.command("list")
def list_command() -> None:
    """Show all users."""
    table = Table("user", "role", "created", "state")
    with session_scope(_factory()) as session:
        for user in list_users(session):
            state = "disabled" if user.disabled else "active"
            table.add_row(user.username, user.role.value, f"{user.created_at:%Y-%m-%d %H:%M}", state)
    out.print(table)


@users.command()
def disable(name: Annotated[str, typer.Argument(help="The user to disable.")]) -> None:
    """Disable a user and end their sessions; their name stays in the audit trail."""
    try:
        with session_scope(_factory()) as session:
            disable_user(session, name, actor=ACTOR)
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"Disabled {name}.")


@users.command("reset-password")
def reset_password_command(
    name: Annotated[str, typer.Argument(help="The user whose password is set anew.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
) -> None:
    """Set a new password for a user (an admin's reset); their sessions end."""
    password = (
        _read_password()
        if password_stdin
        else typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    )
    try:
        with session_scope(_factory()) as session:
            reset_password(session, name, password, actor=ACTOR)
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc
    err.print(f"New password set for {name}.")
