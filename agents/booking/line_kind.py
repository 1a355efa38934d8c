"""Whether an invoice line names work rather than a thing: the fallback for lines no keyword places.

A supplier invoice line that names no service (no work, time, fee, rent, licence or the like) is a good;
a good that no chart keyword places is booked, as a proposal for a person, to the chart's goods account
(SKR03 3200 / SKR04 5200 Wareneingang), the account a bookkeeper takes for bought goods when nothing else
is known. A line that names a service keeps the configured default (Sonstige betriebliche Aufwendungen).
The words are general German and English service vocabulary (stems and compound parts), not taken from
any labelled line.
"""

from __future__ import annotations

import re

from agents.booking.chart import keyword_pattern, normalize

#: Words that make a line a service (`word*` a word's start, `*word` its end, as in the charts).
SERVICE_WORDS = (
    # work and time
    "arbeit*",
    "*arbeit",
    "*arbeiten",
    "stunde*",
    "*stunde",
    "*stunden",
    "std",
    "hour*",
    "manhour*",
    "tagessatz*",
    "day rate*",
    "labour",
    "labor",
    "work",
    "*leistung",
    "*leistungen",
    "leistung*",
    "dienst*",
    "*dienst",
    "service*",
    "*service",
    "montage*",
    "*montage",
    "installation*",
    "installieren",
    "inbetriebnahme*",
    "anfahrt*",
    "fahrtkosten*",
    "call out",
    "einsatz",
    "*einsatz",
    "prüfung*",
    "*prüfung",
    "test*",
    "*test",
    "inspection*",
    "dokumentation*",
    "documentation*",
    "erstellung*",
    "planung*",
    "*planung",
    "konzept*",
    "design",
    "umsetzung*",
    "betreuung*",
    "*betreuung",
    "verwaltung*",
    "*verwaltung",
    "vermittlung*",
    "reinigung*",
    "*reinigung",
    "transport*",
    "delivery",
    "lieferung und montage",
    # fees, rights and periods
    "gebühr*",
    "*gebühr",
    "*gebühren",
    "fee",
    "fees",
    "*fee",
    "charge*",
    "entgelt*",
    "*entgelt",
    "pauschale*",
    "*pauschale",
    "honorar*",
    "provision*",
    "membership*",
    "mitgliedschaft*",
    "beitrag",
    "monthly",
    "monatlich*",
    "jährlich*",
    "annual*",
    "zeitraum",
    "period",
    "monat*",
    "month*",
    "quartal*",
    "quarter*",
)
_SERVICE_PATTERNS = tuple(keyword_pattern(word) for word in SERVICE_WORDS)
_DATE_RANGE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*[-\u2013]\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}")


def names_a_service(text: str) -> bool:
    """The line names work, time, a fee or a period (a service), not only a thing."""
    if _DATE_RANGE.search(text):
        return True  # a period of time: rent, a subscription, a service period
    plain = normalize(text)
    return any(pattern.search(plain) for pattern in _SERVICE_PATTERNS)
