"""`kontor check`: extraction and validation from the command line, with or without a database."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pikepdf
from lxml import etree
from sqlalchemy.orm import Session

from agents.einvoice import find_xml_in_pdf
from app.db import get_sessionmaker, session_scope
from app.models import StepResult
from tests.agents.einvoice.files import hybrid_pdfs
from tests.agents.validation.crafted import craft, craft_xml
from tests.app.test_cli import kontor
from tests.factories import create_document, text_pdf

#: The crafted invoices are from 2024: no age limit, so the result does not depend on today.
NO_AGE_LIMIT = {"KONTOR_VALIDATION__MAX_INVOICE_AGE_DAYS": "36500"}
GROSS = "//ram:GrandTotalAmount"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_check_without_a_database_prints_findings_and_fails_a_faulty_file(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.xml", craft_xml())
    faulty = write(tmp_path, "faulty.xml", craft_xml({GROSS: "592.87"}))
    env = {"KONTOR_DATA_DIR": str(tmp_path / "var"), "KONTOR_DATABASE_URL": "", **NO_AGE_LIMIT}
    assert kontor("check", str(clean), env=env).returncode == 0
    result = kontor("check", str(clean), str(faulty), env=env)
    assert result.returncode == 1
    assert "arithmetic.gross_mismatch" in result.stdout
    assert "duplicate and vendor checks are skipped" in result.stderr


def test_check_json_uses_the_configured_database_for_duplicates(
    tmp_path: Path, live_database_url: str
) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        earlier = _store(session)
    again = write(tmp_path, "again.xml", craft_xml({"//rsm:ExchangedDocument/ram:ID": "471-102"}))
    env = {"KONTOR_DATA_DIR": str(tmp_path), "KONTOR_DATABASE_URL": live_database_url, **NO_AGE_LIMIT}
    result = kontor("check", "--json", str(again), str(tmp_path / "missing.xml"), env=env)
    assert result.returncode == 1
    checked, missing = (json.loads(line) for line in result.stdout.splitlines())
    assert checked["decision"]["status"] == "needs_review"
    duplicate = next(f for f in checked["findings"] if f["code"] == "duplicate.same_number")
    assert f"document #{earlier}" in duplicate["message"]
    assert "vendor.new" in [f["code"] for f in checked["findings"]]
    assert missing["error"].startswith("cannot read the file")


def _store(session: Session) -> int:
    document = create_document(session, data=text_pdf("earlier"), filename="earlier.pdf")
    session.add(
        StepResult(
            document_id=document.id, step="einvoice", data={"invoice": craft().model_dump(mode="json")}
        )
    )
    session.flush()
    return document.id


def test_check_cross_checks_a_hybrids_page_against_its_xml(tmp_path: Path) -> None:
    source = next(p for p in hybrid_pdfs() if "EN_16931" in p.name)
    found = find_xml_in_pdf(source.read_bytes())
    assert found is not None
    name, xml = found
    root = etree.fromstring(xml)
    total = root.find(f".//{{{RAM}}}GrandTotalAmount")
    assert total is not None
    assert total.text
    total.text = str(Decimal(total.text) + 100)  # the XML says more than the page shows
    with pikepdf.open(source) as pdf:
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, etree.tostring(root), filename=name)
        tampered = tmp_path / "tampered.pdf"
        pdf.save(tampered)
    env = {
        "KONTOR_DATA_DIR": str(tmp_path / "var"),
        "KONTOR_DATABASE_URL": "",
        "KONTOR_MODEL__BACKEND": "fake",
    }
    result = kontor("check", "--json", str(tampered), env=env)
    assert result.returncode == 1, result.stderr
    (report,) = (json.loads(line) for line in result.stdout.splitlines())
    mismatches = [f for f in report["findings"] if f["code"] == "einvoice.page_mismatch"]
    assert [f["fields"] for f in mismatches] == [["gross_total"]]
