"""`kontor check [--json] FILE...`: extraction and validation of files, without a server.

E-invoice XML (plain or embedded in a PDF) is read exactly; other PDFs go through the visual
extraction agent. Duplicate and vendor checks use the database when one is configured and
migrated, and are skipped otherwise. Exit status 1 when any file needs review or cannot be read.
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

from agents.base import Backend
from agents.einvoice import find_xml_in_pdf, is_einvoice_xml, read_einvoice
from agents.validation import Decision, ValidationAgent
from agents.validation.ports import InvoiceHistory, VendorDirectory
from app.config import Settings, get_settings
from app.db import get_engine, get_sessionmaker
from app.errors import KontorError, UnsupportedMediaError
from app.history import DbInvoiceHistory
from app.migrate import alembic_config
from app.pipeline.read import read_pdf
from app.runtime import LazyBackend
from app.vendors import DbVendorDirectory
from schemas.finding import Finding
from schemas.invoice import Invoice

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


class ReadOutcome(BaseModel):
    invoice: Invoice
    text: str = ""
    findings: list[Finding] = Field(default_factory=list)


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    files: Annotated[list[Path], typer.Argument(help="Invoice PDFs or e-invoice XML files.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file per line.")] = False,
) -> None:
    """Extract and validate each file and print the findings (exit 1 when any needs review)."""
    settings = get_settings()
    backend = LazyBackend(settings)
    history, vendors = database_ports(settings)
    if history is None:
        err.print("[dim]No migrated database configured: duplicate and vendor checks are skipped.[/dim]")
    agent = ValidationAgent(backend, settings.validation, history, vendors)
    reports = [check_file(path, agent, backend) for path in files]
    for report in reports:
        if as_json:
            typer.echo(report.model_dump_json())
        else:
            _print(report)
    if not all(report.passed for report in reports):
        raise typer.Exit(1)


def database_ports(settings: Settings) -> tuple[InvoiceHistory | None, VendorDirectory | None]:
    """The database's history and vendors when one is configured and migrated, else none."""
    url = settings.resolved_database_url
    if not settings.database_url and not (settings.data_dir / "kontor.db").is_file():
        return None, None
    try:
        with get_engine(url).connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError:
        return None, None
    if current != ScriptDirectory.from_config(alembic_config(url)).get_current_head():
        return None, None
    factory = get_sessionmaker(url)
    return DbInvoiceHistory(factory), DbVendorDirectory(factory)


def check_file(path: Path, agent: ValidationAgent, backend: Backend | None) -> FileReport:
    try:
        outcome = read_document(path.read_bytes(), backend)
    except OSError as exc:
        return FileReport(file=str(path), error=f"cannot read the file: {exc.strerror or exc}")
    except KontorError as exc:
        return FileReport(file=str(path), error=exc.message)
    result = agent.validate(outcome.invoice, outcome.text, None, prior_findings=outcome.findings)
    return FileReport(
        file=str(path),
        document_class=result.document_class,
        decision=result.decision,
        findings=[*outcome.findings, *result.findings],
        invoice=outcome.invoice.plain(),
    )


def read_document(data: bytes, backend: Backend | None) -> ReadOutcome:
    """The invoice in a file: its e-invoice XML where it has one, else what the page shows."""
    if data.startswith(b"%PDF"):
        return _read_pdf(data, backend)
    if is_einvoice_xml(data):
        result = read_einvoice(data)
        return ReadOutcome(invoice=result.invoice, findings=result.findings)
    raise UnsupportedMediaError("Neither a PDF nor an e-invoice XML.")


def _read_pdf(data: bytes, backend: Backend | None) -> ReadOutcome:
    read = read_pdf(data)
    text = "\n".join(page.text for page in read.pages)
    embedded = find_xml_in_pdf(data)
    if embedded is not None:
        result = read_einvoice(embedded[1])  # the XML prevails over the page (EN 16931)
        return ReadOutcome(invoice=result.invoice, text=text, findings=result.findings)
    from agents.extraction.agent import Us  # the visual path loads its rules on demand
    from app.learning.model import build_extractor, current_model

    settings = get_settings()
    us = Us(settings.company_name, settings.company_vat_id)
    extracted = build_extractor(current_model(settings), backend, us).extract(read)
    return ReadOutcome(invoice=extracted.invoice, text=text, findings=extracted.findings)


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
