"""The `kontor` command line."""

from __future__ import annotations

import typer

from app.cli import check, creditors, export, extract, keys, mail, ops, rates, service, train, users

app = typer.Typer(
    name="kontor",
    help="Kontor: on-premise invoice processing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
service.register(app)
extract.register(app)
check.register(app)
mail.register(app)
users.register(app)
export.register(app)
creditors.register(app)
rates.register(app)
ops.register(app)
train.register(app)
app.add_typer(keys.app, name="keys")


def main() -> None:
    app()
