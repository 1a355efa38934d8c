import io
import json
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import ANY

import pikepdf
import pytest
import typer
from typer.testing import CliRunner

from app.cli.extract import register
from app.config import get_settings
from tests.corpus import corpus_dir


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("KONTOR_MODEL__BACKEND", "fake")
    get_settings.cache_clear()
    app = typer.Typer()
    register(app)
    yield app
    get_settings.cache_clear()


def _blank_pdf(*, password: str | None = None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    encryption = pikepdf.Encryption(owner=password, user=password) if password else False
    pdf.save(out, encryption=encryption)
    return out.getvalue()


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_bad_files_give_a_clear_error_and_the_run_goes_on(cli: typer.Typer, tmp_path: Path) -> None:
    files = {
        "empty.pdf": b"",
        "corrupt.pdf": b"%PDF-1.7\nthis is not a pdf",
        "blank.pdf": _blank_pdf(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    args = ["extract", "--json", *(str(tmp_path / name) for name in files)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    records = {Path(str(r["file"])).name: r for r in _lines(result.output)}
    assert set(records) == set(files)
    assert "empty" in str(records["empty.pdf"]["error"])
    assert "cannot be read" in str(records["corrupt.pdf"]["error"])
    assert records["blank.pdf"]["findings"] == [
        {"code": "text.missing", "severity": "error", "message": ANY, "fields": []}
    ]


def test_an_encrypted_pdf_names_the_password_as_the_reason(cli: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(_blank_pdf(password="secret"))
    (record,) = _lines(CliRunner().invoke(cli, ["extract", "--json", str(path)]).output)
    assert "encrypted" in str(record["error"])


def test_extract_json_gives_plain_values_and_provenance(cli: typer.Typer) -> None:
    pdf = next(iter(sorted((corpus_dir() / "invoices").glob("*EN16931_Einfach.pdf"))))
    result = CliRunner().invoke(cli, ["extract", "--json", str(pdf)])
    (record,) = _lines(result.output)
    invoice = record["invoice"]
    fields = record["fields"]
    assert isinstance(invoice, dict)
    assert isinstance(fields, dict)
    assert invoice["gross_total"] is not None
    gross = fields["gross_total"]
    assert set(gross) == {"confidence", "page", "bbox", "source"}


def test_einvoices_are_read_from_their_xml_and_the_page_on_request(cli: typer.Typer) -> None:
    xml = sorted((corpus_dir() / "xml").glob("*.xml"))[0]
    hybrid = sorted((corpus_dir() / "invoices").glob("*EN16931_Einfach.pdf"))[0]
    result = CliRunner().invoke(cli, ["extract", "--json", str(xml), str(hybrid)])
    records = _lines(result.output)
    assert [r["path"] for r in records] == ["einvoice", "einvoice"]
    for path, record in zip((xml, hybrid), records, strict=True):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        invoice = record["invoice"]
        assert isinstance(invoice, dict)
        assert invoice["invoice_number"] == expected["invoice_number"]
    visual = _lines(CliRunner().invoke(cli, ["extract", "--json", "--visual", str(hybrid)]).output)
    assert visual[0]["path"] == "page"
