"""The multilingual label lexicon (German, English, French): which printed words announce which field.

Each pattern carries a strength in (0, 1]: how surely the label names that field rather than a
neighbour (`Nettobetrag` is also a column header; `Total HT` is not). Patterns are matched case-
insensitively against one segment's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern[str]
    strength: float


_RAW: dict[str, tuple[tuple[str, float], ...]] = {
    "invoice_number": (
        (r"rechnungs?\s*-?\s*(?:nummer|nr\.?)", 1.0),
        (r"gutschrift(?:s)?\s*-?\s*(?:nummer|nr\.?)", 1.0),
        (r"\(\d{3}\)\s*nr\.?", 1.0),
        (r"beleg\s*-?\s*(?:nummer|nr\.?)", 0.9),
        (r"(?:invoice|credit\s+note)\s*(?:number|no\.?|nr\.?|#|n°)", 1.0),
        (r"(?:facture|avoir)(?:\s+\w+)?\s*(?:n°|no\.?|numéro|num\.?)", 1.0),
        (r"(?:n°|numéro)\s*(?:de\s+)?facture(?!\s+(?:associée|d'origine|initiale))", 1.0),
        (r"^(?:rechnung|invoice|facture)\s*(?:#|nr\.?)?(?=\s*[\w-]*\d)", 0.6),
        (r"^\w*factur\w*\s*n°", 0.8),
    ),
    "issue_date": (
        (r"rechnungs\s*-?\s*datum", 1.0),
        (r"beleg\s*-?\s*datum", 0.9),
        (r"gutschriftsdatum", 1.0),
        (r"invoice\s+date|date\s+of\s+issue|issue\s+date", 1.0),
        (
            r"date\s+(?:de\s+)?(?:la\s+)?facture(?!\s+(?:associée|d'origine|initiale))|date\s+d['\u2019]émission",
            1.0,
        ),
        (r"(?<!\w)(?:datum|date)\s*:", 0.6),
        # A document title with the date beside it: "Beitragsrechnung   24. Januar 2014".
        (r"^(?:\w*rechnung|invoice|facture)$", 0.5),
        (r"(?:\bnr\.?|#)\s*[\w/.-]+\s+vom\b", 0.8),
    ),
    "due_date": (
        (r"f[äa]llig(?:keit|keitsdatum)?(?:\s+am)?", 1.0),
        (r"zahlbar\s+(?:bis|am)|zahlbar\b[^\d]{0,30}?\bbis", 0.7),
        (r"netto\s+bis", 0.7),
        (r"zahlungsziel", 0.8),
        (r"due\s+date|payment\s+due|payable\s+(?:by|until)|due\s+on", 1.0),
        (r"date\s+d['\u2019]\s?échéance|échéance|echeance|à\s+payer\s+avant\s+le", 1.0),
        (r"bis\s+(?:zum|spätestens)", 0.5),
    ),
    "gross_total": (
        (r"brutto\s*summe|rechnungssumme\s+brutto|summe\s+brutto|gesamt\s*brutto|bruttobetrag", 1.0),
        (
            r"summe\s+(?:inkl|incl)\.?|rechnungsbetrag|rechnungsbeitrag|gesamtbetrag(?!\s+der)|endbetrag|gesamtsumme|rechnungssumme(?!\s+(?:netto|ohne))",
            0.8,
        ),
        (r"total\s+ttc|montant\s+ttc|total\s+toutes\s+taxes", 1.0),
        (
            r"total\s+amount\s*\(gross\)|total\s+(?:\S+\s+)?incl\.?\s+(?:vat|tax)|grand\s+total|invoice\s+total",
            1.0,
        ),
        (r"total\s+(?:amount|due)?\s*(?:incl|including)", 0.9),
        (r"^total\s*(?:[€$£]|eur)?$", 0.5),
    ),
    "net_total": (
        (
            r"rechnungssumme\s+(?:ohne\s+ust|netto)|summe\s+netto|gesamtbeitrag|nettobeitrag|gesamt\s*netto|nettosumme|netto\s*gesamt",
            1.0,
        ),
        (r"nettobetrag|netto(?:wert)?(?!\w)", 0.5),
        (r"total\s+ht|montant\s+ht|total\s+hors\s+taxes?", 1.0),
        (r"total\s+amount\s*\(net\)|total\s+(?:\S+\s+)?excl\.?\s+(?:vat|tax)|net\s+total|total\s+net", 1.0),
        (r"subtotal|sub-total|zwischensumme", 0.4),
    ),
    "tax_total": (
        (
            r"summe\s+(?:umsatzsteuer|mwst|ust)|steuerbetrag|versicherungsteuer|gesamt\s*(?:mwst|ust)|mwst\.?\s*-?\s*betrag",
            1.0,
        ),
        (r"(?<!\w)(?:umsatzsteuer|mehrwertsteuer|mwst|ust)\b\.?(?!\s*-?\s*id)|versicherungssteuer", 0.6),
        (r"total\s+tva|montant\s+(?:de\s+la\s+)?tva|tva(?!\s*(?:intra|:\s*[a-z]{2}))", 0.7),
        (r"total\s+tax(?:\s+amount)?|tax\s+amount|total\s+vat|vat\s+amount|\d+\s*%\s*vat", 1.0),
        (r"^(?:vat|tax)$", 0.5),
    ),
    "line_total": (
        (r"positionssumme|summe\s+(?:der\s+)?positionen|warenwert|summe\s+positionen", 1.0),
        (r"zwischensumme|subtotal|sub-total", 0.8),
        (r"total\s+(?:des\s+)?lignes|total\s+ht\s+lignes|sum\s+of\s+lines?|line\s+total", 1.0),
    ),
    "amount_due": (
        (r"zahlbetrag|offener\s+betrag|zu\s+zahlen(?:der\s+betrag)?|restbetrag|noch\s+zu\s+zahlen", 1.0),
        (r"amount\s+due|balance\s+due|amount\s+payable|total\s+due", 1.0),
        (r"net\s+à\s+payer|reste\s+à\s+payer|montant\s+(?:dû|à\s+payer)|a\s+payer", 1.0),
    ),
    "prepaid_amount": (
        (r"erhaltene\s+anzahlungen?|bereits\s+(?:bezahlt|gezahlt|erhalten)|anzahlung|vorauszahlung", 1.0),
        (r"paid\s+amount|prepaid|amount\s+paid|already\s+paid|deposit", 1.0),
        (r"acompte|déjà\s+(?:payé|réglé)|avance", 1.0),
    ),
    "allowance_total": (
        (r"gesamtbetrag\s+der\s+abschläge|summe\s+(?:der\s+)?(?:abschläge|rabatte|nachlässe)", 1.0),
        (r"discount|allowances?(?:\s+total)?|total\s+remises?|remises?\s+globales?", 0.8),
    ),
    "charge_total": (
        (r"gesamtbetrag\s+der\s+zuschläge|summe\s+(?:der\s+)?zuschläge", 1.0),
        (r"surcharge(?:/charge)?|charges?\s+total|total\s+(?:des\s+)?(?:charges|frais)", 0.8),
    ),
    "seller_tax_number": (
        (r"steuer\s*-?\s*(?:nummer|nr\.?)|st\.?\s*-?\s*nr\.?|tax\s+(?:no\.?|number)", 1.0),
    ),
    "currency": ((r"währung|devise|currency|beträge\s+in|montants?\s+en", 1.0),),
}

#: Section headers that open a party block, per role.
_HEADER_END = r"\s*(?:[:/].*|\s(?:trade\s+)?name.*|\s*\(.*)?$"

#: Headers that open a party block, per role; a header fills its segment ("Lieferant GmbH" is a name).
PARTY_HEADERS: dict[str, re.Pattern[str]] = {
    "seller": re.compile(
        r"^(?:verkäufer|rechnungsersteller|lieferant|leistungserbringer|seller|supplier|vendor|"
        r"vendeur|fournisseur|from|émetteur|absender)" + _HEADER_END,
        re.IGNORECASE,
    ),
    "buyer": re.compile(
        r"^(?:käufer|rechnungsempfänger|leistungsempfänger|kunde|kundenname|empfänger|buyer|customer|"
        r"bill\s+to|billed\s+to|invoice\s+to|sold\s+to|client|adresse\s+du\s+client|acheteur|destinataire|"
        r"vos\s+identifiants|ihre\s+angaben|your\s+details)" + _HEADER_END,
        re.IGNORECASE,
    ),
}

#: Words next to an identifier that say it belongs to the buyer ("your VAT ID").
BUYER_HINT = re.compile(
    r"\b(?:ihre?|your|vos|votre|kunde|kunden|käufer|client|acheteur|buyer|customer|empfänger)\b",
    re.IGNORECASE,
)

VAT_LABEL = re.compile(
    r"ust\.?\s*-?\s*id|umsatzsteuer\s*-?\s*id|ust\.?\s*-?\s*ident|vat\s*(?:id|reg|no|number)|"
    r"tva|n°\s*tva|tax\s+no|steuer|identifiant",
    re.IGNORECASE,
)

LABELS: tuple[Label, ...] = tuple(
    Label(field, re.compile(pattern, re.IGNORECASE), strength)
    for field, patterns in _RAW.items()
    for pattern, strength in patterns
)


def labels_for(field: str) -> tuple[Label, ...]:
    return tuple(label for label in LABELS if label.field == field)
