"""Malformed, foreign and hostile XML is refused with an `EInvoiceError` a user understands."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from agents.einvoice import is_einvoice_xml, read_einvoice
from app.errors import EInvoiceError
from tests.agents.einvoice.files import BILLION_LAUGHS, CII_ROOT, corpus_xml


def _xxe(secret_file: Path) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>\n'.encode()
        + CII_ROOT
        + b"<rsm:ExchangedDocument><ram:ID>&xxe;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<rsm:CrossIndustryInvoice",
        b"<a><b></a>",
        b"%PDF-1.7 not xml at all",
        "<a>\u00e4</a>".encode("latin-1"),
    ],
    ids=["empty", "blank", "truncated", "mismatched-tags", "pdf", "wrong-encoding"],
)
def test_malformed_xml_is_refused(data: bytes) -> None:
    with pytest.raises(EInvoiceError, match=r"(?i)empty|malformed"):
        read_einvoice(data)


@pytest.mark.parametrize(
    "data",
    [
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>',
        b'<rsm:SCRDMCCBDACIOMessageStructure xmlns:rsm="urn:un:unece:uncefact:data:'
        b'SCRDMCCBDACIOMessageStructure:100"/>',
        b"<Invoice><ID>no namespace</ID></Invoice>",
        b"<html><body>Rechnung</body></html>",
    ],
    ids=["ubl-order", "order-x", "invoice-without-namespace", "html"],
)
def test_wrong_root_element_is_refused(data: bytes) -> None:
    assert not is_einvoice_xml(data)
    with pytest.raises(EInvoiceError, match="not a supported e-invoice"):
        read_einvoice(data)


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")

    with pytest.raises(EInvoiceError, match="DTD") as caught:
        read_einvoice(_xxe(secret))

    assert "TOP-SECRET-CONTENT" not in caught.value.message


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()

    with pytest.raises(EInvoiceError, match="DTD"):
        read_einvoice(BILLION_LAUGHS)

    assert time.perf_counter() - started < 1.0


def test_sniffing_hostile_xml_is_cheap_and_safe(tmp_path: Path) -> None:
    started = time.perf_counter()

    # The root is an invoice's, so the sniff says yes and the read refuses it with a clear reason.
    assert is_einvoice_xml(BILLION_LAUGHS)
    assert is_einvoice_xml(_xxe(tmp_path / "missing.txt"))
    assert time.perf_counter() - started < 1.0


def test_valid_einvoice_xml_is_recognised() -> None:
    assert is_einvoice_xml(corpus_xml("CEN__cii_examples_CII_example2.xml"))
    assert is_einvoice_xml(corpus_xml("CEN__ubl_examples_ubl-tc434-creditnote1.xml"))
    assert not is_einvoice_xml(b"")
    assert not is_einvoice_xml(b"%PDF-1.7")


def test_oversized_xml_is_refused() -> None:
    huge = CII_ROOT + b" " * (21 * 1024 * 1024) + b"</rsm:CrossIndustryInvoice>"

    with pytest.raises(EInvoiceError, match="larger than"):
        read_einvoice(huge)
