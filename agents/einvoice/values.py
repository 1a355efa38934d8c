"""Typed values out of XML elements, with the path each header value came from."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from schemas.finding import Finding, FindingCode
from schemas.invoice import FieldSource

Element = etree._Element

_CII_DATE = re.compile(r"\d{8}")
#: No invoice amount or quantity reaches this; larger values would also overflow cent arithmetic.
MAX_NUMBER = Decimal(10) ** 15


class Document:
    """One parsed e-invoice: lookups relative to its namespaces, and what was read from it.

    `header` collects canonical header values and `fields` their provenance (the element's XPath);
    `findings` collects values that could not be read (a non-number where an amount belongs).
    """

    def __init__(self, root: Element, namespaces: dict[str, str]) -> None:
        self.root = root
        self.ns = namespaces
        # The document's own namespace (UBL's default one) is written without prefix: `/Invoice/cbc:ID`.
        self._prefixes = {uri: prefix for prefix, uri in namespaces.items() if prefix != "doc"}
        self.header: dict[str, object] = {}
        self.fields: dict[str, FieldSource] = {}
        self.findings: list[Finding] = []

    def find(self, element: Element | None, path: str) -> Element | None:
        return None if element is None else element.find(path, self.ns)

    def findall(self, element: Element | None, path: str) -> list[Element]:
        return [] if element is None else element.findall(path, self.ns)

    def path(self, element: Element) -> str:
        """An absolute XPath with the standard prefixes (`ram:`, `cbc:`, ...), whatever the file uses."""
        steps: list[str] = []
        node: Element | None = element
        while node is not None:
            steps.append(self._step(node))
            node = node.getparent()
        return "/" + "/".join(reversed(steps))

    def _step(self, node: Element) -> str:
        qname = etree.QName(node)
        prefix = self._prefixes.get(qname.namespace or "")
        step = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = node.getparent()
        if parent is None:
            return step
        siblings = list(parent.iterchildren(node.tag))
        return step if len(siblings) == 1 else f"{step}[{siblings.index(node) + 1}]"

    def text(self, element: Element | None, path: str = ".") -> str | None:
        found = self.find(element, path)
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def code(self, element: Element | None, path: str = ".") -> str | None:
        """An identifier or code: spaces removed, as the canonical invoice stores them."""
        value = self.text(element, path)
        return value.replace(" ", "") if value else None

    def indicator(self, element: Element | None, path: str = ".") -> bool:
        """A CII or UBL indicator (`true`/`false`): true only where it says so."""
        return (self.text(element, path) or "").lower() == "true"

    def amount(self, element: Element | None, path: str = ".") -> Decimal | None:
        if (read := self._read(element, path)) is None:
            return None
        found, value = read
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= MAX_NUMBER:
            self._bad_value(found, value, "a number")
            return None
        return number

    def date(self, element: Element | None, path: str = ".") -> date | None:
        if (read := self._read(element, path)) is None:
            return None
        found, value = read
        try:
            if _CII_DATE.fullmatch(value):  # CII format 102, CCYYMMDD
                return date(int(value[:4]), int(value[4:6]), int(value[6:]))
            return date.fromisoformat(value[:10])
        except ValueError:
            self._bad_value(found, value, "a date")
            return None

    def _read(self, element: Element | None, path: str) -> tuple[Element, str] | None:
        """The element at `path` and its text, where both are there."""
        found = self.find(element, path)
        value = self.text(found)
        return None if found is None or value is None else (found, value)

    def put(self, name: str, element: Element | None, value: object) -> None:
        """Record header field `name` with its provenance, unless the XML does not carry it."""
        if element is None or value is None:
            return
        self.header[name] = value
        self.fields[name] = FieldSource(confidence=1.0, kind="xml", source=self.path(element))

    def _bad_value(self, element: Element, value: str, expected: str) -> None:
        self.findings.append(
            Finding.of(
                FindingCode.EINVOICE_BAD_VALUE,
                "error",
                f"The XML holds {value!r} at {self.path(element)}, which is not {expected}.",
            )
        )


def unique(values: Iterable[str | None]) -> list[str]:
    """The non-empty values, first occurrence kept, in document order."""
    return list(dict.fromkeys(v for v in values if v))
