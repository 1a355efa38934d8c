"""Test inputs: the corpus e-invoices (hybrid PDFs and plain XML) and hand-made hostile XML."""

from __future__ import annotations

from pathlib import Path

from tests.corpus import corpus_dir

CII_ROOT = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"'
    b' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">'
)

BILLION_LAUGHS = (
    b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
    + CII_ROOT
    + b"<rsm:ExchangedDocument><ram:ID>&lol9;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"
)


def hybrid_pdfs() -> list[Path]:
    return sorted((corpus_dir() / "invoices").glob("*.pdf"))


def plain_xmls() -> list[Path]:
    return sorted((corpus_dir() / "xml").glob("*.xml"))


def corpus_xml(name: str) -> bytes:
    """One plain XML e-invoice of the corpus, by file name."""
    return (corpus_dir() / "xml" / name).read_bytes()
