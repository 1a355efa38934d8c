"""`kontor users add|list|disable|reset-password`: the people who log in to the review pages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

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
T = TypeVar("T")

users = typer.Typer(help="Manage the users of the review pages.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")


#: `--password-stdin`: read the password from standard input instead of asking twice.
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
]


def _factory() -> sessionmaker[Session]:
    return get_sessionmaker(get_settings().resolved_database_url)


def _password(prompt: str, *, stdin: bool) -> str:
    if stdin:
        # One line, without its line ending: `printf '%s\n' "$PW" | kontor users add ...` works as expected.
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return password


def _change(change: Callable[[Session], T]) -> T:
    """Run `change` in a transaction; a refusal is printed and ends the command with status 1."""
    try:
        with session_scope(_factory()) as session:
            return change(session)
    except KontorError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from exc


@users.command()
def add(
    name: Annotated[str, typer.Argument(help="The user name to log in with.")],
    role: Annotated[UserRole, typer.Option(help="reviewer or admin (admins also manage users).")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user; the password is asked for twice (or read from stdin)."""
    password = _password("Password", stdin=password_stdin)
    username = _change(lambda session: create_user(session, name, password, role=role, actor=ACTOR).username)
    err.print(f"Added {role.value} {username}.")


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
    _change(lambda session: disable_user(session, name, actor=ACTOR))
    err.print(f"Disabled {name}.")


@users.command("reset-password")
def reset_password_command(
    name: Annotated[str, typer.Argument(help="The user whose password is set anew.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password for a user (an admin's reset); their sessions end."""
    password = _password("New password", stdin=password_stdin)
    _change(lambda session: reset_password(session, name, password, actor=ACTOR))
    err.print(f"New password set for {name}.")
