"""`kontor check [--json] FILE...`: extraction and validation of files, without a server.

Each file goes through the pipeline's steps up to the validation, in memory (`app.pipeline.files`):
e-invoice XML (plain or embedded in a PDF) is read exactly, the page is extracted and a hybrid's
page cross-checked against its XML. Duplicate and vendor checks use the database when one is
configured and migrated, and are skipped otherwise. Exit status 1 when any file needs review or
cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import BaseModel, Field
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from agents.validation import Decision
from app.config import Settings, get_settings
from app.db import get_engine, get_sessionmaker
from app.errors import KontorError
from app.migrate import alembic_config
from app.pipeline.files import run_file
from app.pipeline.state import PipelineState, Step, StepName
from app.pipeline.steps import build_steps
from app.pipeline.steps.read import in_process
from app.runtime import LazyBackend
from schemas.finding import Finding

out = Console()
err = Console(stderr=True)
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


class FileReport(BaseModel):
    file: str
    #: Why the file could not be checked at all; the other fields are then empty.
    error: str | None = None
    document_class: str | None = None
    decision: Decision | None = None
    findings: list[Finding] = Field(default_factory=list)
    invoice: dict[str, object] | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.decision is not None and self.decision.status == "ready"


#: What `check` runs: everything up to the validation (booking needs the journal of a service).
CHECK_STEPS = frozenset(
    {StepName.READ, StepName.EINVOICE, StepName.EXTRACT, StepName.CROSSCHECK, StepName.VALIDATE}
)


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    files: Annotated[list[Path], typer.Argument(help="Invoice PDFs or e-invoice XML files.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file per line.")] = False,
) -> None:
    """Extract and validate each file and print the findings (exit 1 when any needs review)."""
    settings = get_settings()
    factory = migrated_database(settings)
    if factory is None:
        err.print("[dim]No migrated database configured: duplicate and vendor checks are skipped.[/dim]")
    steps = build_steps(settings, LazyBackend(settings), factory, only=CHECK_STEPS, reader=in_process)
    reports = [check_file(path, steps) for path in files]
    for report in reports:
        if as_json:
            typer.echo(report.model_dump_json())
        else:
            _print(report)
    if not all(report.passed for report in reports):
        raise typer.Exit(1)


def migrated_database(settings: Settings) -> sessionmaker[Session] | None:
    """The database for history and vendors when one is configured and migrated, else None."""
    url = settings.resolved_database_url
    if not settings.database_url and not (settings.data_dir / "kontor.db").is_file():
        return None
    try:
        with get_engine(url).connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError:
        return None
    if current != ScriptDirectory.from_config(alembic_config(url)).get_current_head():
        return None
    return get_sessionmaker(url)


def check_file(path: Path, steps: list[Step]) -> FileReport:
    try:
        state = run_file(steps, path.read_bytes(), path.name)
    except OSError as exc:
        return FileReport(file=str(path), error=f"cannot read the file: {exc.strerror or exc}")
    except KontorError as exc:
        return FileReport(file=str(path), error=exc.message)
    invoice = state.invoice
    return FileReport(
        file=str(path),
        document_class=state.validation.document_class if state.validation else None,
        decision=_decision(state),
        findings=state.findings,
        invoice=invoice.plain() if invoice is not None else None,
    )


def _decision(state: PipelineState) -> Decision:
    """The validation's decision; a run that stopped earlier (a scan without text) needs a person."""
    if state.validation is not None:
        return state.validation.decision
    reason = state.stop.reason if state.stop is not None and state.stop.reason else "document.no_invoice"
    return Decision(status="needs_review", reasons=[reason])


def _print(report: FileReport) -> None:
    name = escape(report.file)
    if report.error is not None or report.decision is None:
        out.print(f"[bold]{name}[/bold]  [red]cannot check:[/red] {escape(report.error or '')}")
        return
    decision = report.decision
    verdict = "[green]ready[/green]" if decision.status == "ready" else "[yellow]needs review[/yellow]"
    because = f" ({', '.join(decision.reasons[:3])})" if decision.reasons else ""
    out.print(f"[bold]{name}[/bold]  {report.document_class}  {verdict}{escape(because)}")
    for finding in report.findings:
        style = SEVERITY_STYLE[finding.severity]
        out.print(f"  [{style}]{finding.severity:<7}[/{style}] {finding.code}  {escape(finding.message)}")
