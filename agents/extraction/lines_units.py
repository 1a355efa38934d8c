"""Unit words as invoices print them, mapped to UN/ECE Recommendation 20 codes.

Pieces: Rec 20 has both C62 ("one") and H87 ("piece"). A printed piece word (Stück, Stk, pcs,
pièce, piece, PCE) names a piece, so it maps to H87, as the Rec 20 code list and the XRechnung
code list guidance for "Stück" do; a bare "unit"/"Einheit"/"each" maps to C62. The e-invoices in
the development corpus use both codes for the same printed word, so neither choice is "right" for
a page; line-item matching does not score the unit code.
"""

from __future__ import annotations

import re

_UNITS: dict[str, str] = {
    "stück": "H87",
    "stk": "H87",
    "st": "H87",
    "stck": "H87",
    "pcs": "H87",
    "pc": "H87",
    "piece": "H87",
    "pieces": "H87",
    "pièce": "H87",
    "pièces": "H87",
    "pce": "H87",
    "unit": "C62",
    "units": "C62",
    "einheit": "C62",
    "each": "C62",
    "ea": "C62",
    "unité": "C62",
    "u": "C62",
    "h": "HUR",
    "std": "HUR",
    "stunde": "HUR",
    "stunden": "HUR",
    "hour": "HUR",
    "hours": "HUR",
    "hr": "HUR",
    "hrs": "HUR",
    "heure": "HUR",
    "heures": "HUR",
    "min": "MIN",
    "minute": "MIN",
    "minuten": "MIN",
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "m": "MTR",
    "lfm": "MTR",
    "km": "KMT",
    "m²": "MTK",
    "m2": "MTK",
    "qm": "MTK",
    "m³": "MTQ",
    "m3": "MTQ",
    "cbm": "MTQ",
    "l": "LTR",
    "ltr": "LTR",
    "liter": "LTR",
    "litre": "LTR",
    "litres": "LTR",
    "tag": "DAY",
    "tage": "DAY",
    "tag(e)": "DAY",
    "day": "DAY",
    "days": "DAY",
    "jour": "DAY",
    "jours": "DAY",
    "woche": "WEE",
    "wochen": "WEE",
    "week": "WEE",
    "weeks": "WEE",
    "monat": "MON",
    "monate": "MON",
    "month": "MON",
    "months": "MON",
    "mois": "MON",
    "jahr": "ANN",
    "jahre": "ANN",
    "year": "ANN",
    "years": "ANN",
    "kwh": "KWH",
    "pauschal": "LS",
    "pausch": "LS",
    "psch": "LS",
    "pauschale": "LS",
    "lump": "LS",
    "forfait": "LS",
    "ls": "LS",
    "paar": "PR",
    "pair": "PR",
    "satz": "SET",
    "set": "SET",
    "paket": "XPK",
    "pack": "XPK",
    "karton": "XCT",
    "kiste": "XBX",
    "box": "XBX",
    "rolle": "XRO",
    "roll": "XRO",
}

#: A printed Rec 20 code itself ("XBC", "C62", "H87").
_CODE = re.compile(r"^(?:[A-Z][A-Z0-9]{1,2}|[0-9][A-Z0-9]{2})$")


def unit_code(text: str) -> str | None:
    """The Rec 20 code a printed unit word names, or None when it is not a unit word."""
    folded = text.casefold().strip().rstrip(".,:-")
    if folded in _UNITS:
        return _UNITS[folded]
    stripped = text.strip().rstrip("-.,")
    if _CODE.match(stripped) and (stripped.startswith("X") or any(c.isdigit() for c in stripped)):
        return stripped
    return None
