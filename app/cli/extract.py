"""`kontor extract FILE...` and `kontor eval DIR...`: the extraction agent from the command line.

No server and no database: each file is read, extracted and printed. The model is loaded once per
run. `--json` prints one JSON object per input file per line, so the output pipes into `jq`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from agents.base import Backend
from agents.einvoice import find_xml_in_pdf
from agents.extraction.agent import ExtractionAgent, Us
from agents.extraction.evaluate import EvalReport, Reader, corpus_files, evaluate, read_text_layer
from agents.extraction.report import StyleReport
from agents.extraction.scoring import SCORED_FIELDS
from agents.reading.ocr import engine_problem, find_tessdata
from app.cli.check import read_document
from app.config import get_settings
from app.errors import KontorError
from app.media import sniff
from app.pipeline.ocr_eval import ScanReader
from app.pipeline.read import read_pdf
from app.pipeline.steps import ocr_config
from app.runtime import backend_from_settings
from schemas.finding import Finding
from schemas.invoice import HEADER_FIELDS, Invoice

out = Console()
err = Console(stderr=True)

#: Below this many files a progress bar is noise.
_PROGRESS_FROM = 3


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    app.command("eval")(eval_corpus)


def extract(
    files: Annotated[list[Path], typer.Argument(help="Invoice PDFs or e-invoice XML files.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file per line.")] = False,
    visual: Annotated[
        bool, typer.Option("--visual", help="Read the page even where an e-invoice XML is embedded.")
    ] = False,
) -> None:
    """Extract header fields, totals and line items from each file.

    E-invoice XML (a plain file, or embedded in a hybrid PDF) is read exactly and prevails, as
    EN 16931 says; other PDFs are read from the page by the extraction agent.
    """
    backend = _backend()
    agent = ExtractionAgent(backend, us=_us())
    with _progress(len(files)) as progress:
        task = progress.add_task("extracting", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            record = _extract_one(agent, backend, path, visual=visual)
            if as_json:
                typer.echo(json.dumps(record, ensure_ascii=False))
            else:
                _print_record(record)
            progress.advance(task)


def eval_corpus(
    dirs: Annotated[list[Path], typer.Argument(help="Folders of <id>.pdf with truth <id>.json beside.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    mistakes: Annotated[bool, typer.Option("--mistakes", help="List every wrong field as well.")] = False,
    scan: Annotated[
        bool, typer.Option("--scan", help="Read each PDF as a degraded scan of it, by OCR.")
    ] = False,
    rotate: Annotated[
        int, typer.Option("--rotate", help="With --scan: turn the scans 90, 180 or 270 degrees.")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="With --scan: seed of the degradation.")] = 0,
) -> None:
    """Score the agent on a corpus (visual path: embedded e-invoice XML stripped first).

    Per field, per style, per language and per layout (from MANIFEST.csv beside the files).
    """
    missing = [str(d) for d in dirs if not d.is_dir()]
    if missing:
        raise typer.BadParameter(f"not a folder: {', '.join(missing)}")
    read = scan_reader(scan=scan, rotate=rotate, seed=seed)
    agent = ExtractionAgent(_backend(), us=_us())
    total = len(corpus_files(dirs))
    with _progress(total, always=True) as progress:
        task = progress.add_task("evaluating", total=total)
        report = evaluate(
            dirs, agent, progress=lambda name: progress.update(task, description=name, advance=1), read=read
        )
    if as_json:
        typer.echo(report.model_dump_json(exclude=None if mistakes else {"mistakes"}))
        return
    _print_report(report)
    if mistakes:
        _print_mistakes(report)


def scan_reader(*, scan: bool, rotate: int, seed: int) -> Reader:
    """The text layer, or with `scan` a degraded scan read by OCR (with the configured OCR settings)."""
    if rotate not in (0, 90, 180, 270):
        raise typer.BadParameter("--rotate takes 0, 90, 180 or 270")
    if not scan:
        if rotate or seed:
            raise typer.BadParameter("--rotate and --seed need --scan")
        return read_text_layer
    settings = get_settings().ocr
    config = ocr_config(settings.model_copy(update={"enabled": True}))
    assert config is not None
    problem = engine_problem(find_tessdata(config.tessdata), config.languages)
    if problem:
        err.print(f"[red]Cannot OCR:[/red] {problem}")
        raise typer.Exit(2)
    return ScanReader(config, seed=seed, rotate=rotate)


def _us() -> Us:
    settings = get_settings()
    return Us(settings.company_name, settings.company_vat_id)


def _backend() -> Backend:
    try:
        return backend_from_settings(get_settings())
    except KontorError as exc:
        err.print(f"[red]Cannot load the model:[/red] {exc.message}")
        raise typer.Exit(2) from exc


def _extract_one(agent: ExtractionAgent, backend: Backend, path: Path, *, visual: bool) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {"file": str(path), "error": f"cannot read the file: {exc.strerror or exc}"}
    try:
        if not _is_einvoice(data, visual=visual):
            result = agent.extract(read_pdf(data))
            return _as_record(str(path), result.invoice, result.findings, "page")
        outcome = read_document(data, backend)
    except KontorError as exc:
        return {"file": str(path), "error": exc.message}
    return _as_record(str(path), outcome.invoice, outcome.findings, "einvoice")


def _is_einvoice(data: bytes, *, visual: bool) -> bool:
    kind = sniff(data)
    if kind == "application/xml":
        return True
    return kind == "application/pdf" and not visual and find_xml_in_pdf(data) is not None


def _as_record(file: str, invoice: Invoice, findings: list[Finding], path: str) -> dict[str, Any]:
    fields = {
        name: {
            "confidence": round(source.confidence, 3),
            "page": source.page,
            "bbox": list(source.bbox) if source.bbox else None,
            "source": source.source,
        }
        for name, source in invoice.fields.items()
    }
    return {
        "file": file,
        "path": path,
        "invoice": invoice.plain(),
        "fields": fields,
        "findings": [f.model_dump() for f in findings],
    }


def _print_record(record: dict[str, Any]) -> None:
    if "error" in record:
        out.print(f"[bold]{record['file']}[/bold]: [red]{record['error']}[/red]")
        return
    table = Table(title=record["file"], show_lines=False)
    for column in ("field", "value", "confidence", "source"):
        table.add_column(column)
    invoice, fields = record["invoice"], record["fields"]
    for name in HEADER_FIELDS:
        if invoice.get(name) is None:
            continue
        meta = fields.get(name, {})
        confidence = meta.get("confidence")
        table.add_row(
            name,
            str(invoice[name]),
            "" if confidence is None else f"{confidence:.2f}",
            meta.get("source", ""),
        )
    table.add_row("line items", str(len(invoice.get("line_items", []))), "", "")
    out.print(table)
    for finding in record["findings"]:
        out.print(f"  [yellow]{finding['severity']}[/yellow] {finding['code']}: {finding['message']}")


def _print_report(report: EvalReport) -> None:
    out.print(
        f"[bold]{report.documents} documents in {report.groups} groups[/bold], "
        f"median {report.seconds_median:.2f} s/doc, {report.model_questions_mean} model questions/doc"
    )
    title = "Accuracy per style (averaged within duplicate groups)"
    out.print(_summary(title, "style", report.styles, report))
    if len(report.languages) > 1:
        out.print(_summary("Accuracy per language", "language", report.languages, report))
    if len(report.layouts) > len(report.styles):
        out.print(_summary("Accuracy per layout", "layout", report.layouts, report))
    out.print(_field_table(report))
    calibration = Table(title="Calibration")
    for column in ("confidence", "fields", "mean confidence", "accuracy"):
        calibration.add_column(column)
    for b in report.calibration:
        calibration.add_row(
            f"{b.lower:.2f}-{b.upper:.2f}", str(b.count), f"{b.mean_confidence:.2f}", _pct(b.accuracy)
        )
    out.print(calibration)
    for name, reason in report.errors.items():
        out.print(f"[red]error[/red] {name}: {reason}")


def _summary(title: str, key: str, parts: dict[str, StyleReport], report: EvalReport) -> Table:
    table = Table(title=title)
    for column in (key, "docs", "groups", "header", "totals", "line F1", "line F1 (desc.)", "addresses"):
        table.add_column(column)
    for name, part in [("all", report.overall), *parts.items()]:
        table.add_row(
            name,
            str(part.documents),
            str(part.groups),
            _pct(part.header_accuracy),
            _pct(part.totals_accuracy),
            _pct(part.line_items_f1),
            _pct(part.line_items_f1_described),
            _pct(part.address_accuracy),
        )
    return table


def _field_table(report: EvalReport) -> Table:
    parts: list[tuple[str, StyleReport]] = [("all", report.overall), *report.languages.items()]
    if len(report.languages) <= 1:
        parts = [("all", report.overall), *report.styles.items()]
    table = Table(title="Per field (uncertain truth apart)")
    table.add_column("field")
    for name, _ in parts:
        table.add_column(name)
    table.add_column("uncertain")
    for field in SCORED_FIELDS:
        if field in report.overall.fields or field in report.overall.uncertain:
            cells = [_pct(s.fields[field].accuracy) if field in s.fields else "" for _, s in parts]
            unsure = report.overall.uncertain.get(field)
            cells.append(f"{_pct(unsure.accuracy)} of {unsure.groups}" if unsure else "")
            table.add_row(field, *cells)
    return table


def _print_mistakes(report: EvalReport) -> None:
    for m in report.mistakes:
        out.print(f"{m.file}  {m.field}: expected {m.expected!r}, got {m.got!r}", highlight=False)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def _progress(total: int, *, always: bool = False) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        *Progress.get_default_columns()[1:],
        console=err,
        transient=True,
        disable=not always and total < _PROGRESS_FROM,
    )
