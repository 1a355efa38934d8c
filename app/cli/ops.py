"""`kontor backup`, `kontor restore`, `kontor check-integrity`, `kontor purge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import configured_settings, err, or_exit


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command("check-integrity")(check_integrity_command)
    app.command()(purge)


def backup(
    path: Annotated[Path, typer.Argument(help="The archive to write (or, with --verify, to check).")],
    verify: Annotated[bool, typer.Option("--verify", help="Check an existing archive instead.")] = False,
) -> None:
    """Write a consistent backup archive while Kontor runs, or verify one."""
    from app.ops.archive import verify_archive
    from app.ops.backup import create_backup

    settings = configured_settings()
    manifest = or_exit(lambda: verify_archive(path) if verify else create_backup(settings, path))
    what = "verified" if verify else "written"
    err.print(
        f"[green]Backup {what}[/green]: {path} ({manifest['database']}, "
        f"schema {manifest['schema_revision']}, "
        f"{manifest['documents']} documents, {manifest['journal_entries']} journal entries, "
        f"{manifest['audit_events']} audit rows, {len(manifest['files'])} files)"
    )


def restore(
    archive: Annotated[Path, typer.Argument(help="A backup archive made by `kontor backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that holds data.")] = False,
) -> None:
    """Restore a backup into the configured (empty) database and data dir."""
    from app.ops.backup import restore_backup

    settings = configured_settings()
    manifest = or_exit(lambda: restore_backup(settings, archive, force=force))
    err.print(
        f"[green]Restored[/green] {manifest['documents']} documents from {manifest['created_at']} "
        f"(schema {manifest['schema_revision']}). Run `kontor migrate` if this Kontor is newer."
    )


def check_integrity_command() -> None:
    """Recompute every original's SHA-256, verify the audit chain, report orphans (exit 1 on damage)."""
    from app.ops.integrity import check_integrity

    settings = configured_settings()
    report = or_exit(lambda: check_integrity(settings))
    for problem in report.problems:
        err.print(f"[red]{problem}[/red]")
    for orphan in report.orphans:
        err.print(f"[yellow]{orphan}[/yellow]")
    verdict = "[green]intact[/green]" if report.ok else "[red]DAMAGED[/red]"
    err.print(
        f"Integrity {verdict}: {report.documents} originals, {report.audit_rows} audit rows checked, "
        f"{len(report.orphans)} orphans"
    )
    if not report.ok:
        raise typer.Exit(code=1)


def purge(
    document_ids: Annotated[list[int] | None, typer.Argument(help="Documents to purge.")] = None,
    expired: Annotated[bool, typer.Option("--expired", help="Purge every document past its period.")] = False,
) -> None:
    """Remove originals and books past the statutory retention period (§ 147 AO); refuses any inside it."""
    from app.ops.retention import purge as purge_documents

    if bool(document_ids) == expired:
        err.print("[red]Name documents or pass --expired (not both).[/red]")
        raise typer.Exit(code=2)
    settings = configured_settings()
    report = or_exit(lambda: purge_documents(settings, document_ids=document_ids or None))
    for record in report.purged:
        err.print(
            f"purged document {record['document_id']} ({record['filename']}, "
            f"{len(record['journal_entries'])} journal entries), kept until {record['retained_until']}"
        )
    err.print(f"[green]{len(report.purged)} purged[/green], {report.kept} still inside their period")
