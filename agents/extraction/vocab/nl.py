"""Dutch (Netherlands, Flanders) invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

VOCAB = Vocabulary(
    language="nl",
    labels={
        "invoice_number": (
            (r"factuur\s*-?\s*(?:nummer|nr\.?|no\.?|#)", 1.0),
            (r"^factuur\s*(?:#|nr\.?)?(?:[:\s]*(?=\S*\d)|$)", 0.6),
        ),
        "issue_date": ((r"factuur\s*-?\s*datum|datum\s+factuur", 1.0), (r"(?<!\w)datum\s*:", 0.6)),
        "due_date": (
            (r"verval\s*-?\s*datum|vervaldag|uiterste\s+betaal\s*datum|te\s+betalen\s+(?:vóór|voor)", 1.0),
            (r"betalen\s+(?:vóór|voor)", 0.8),
        ),
        "delivery_date": ((r"lever\s*-?\s*datum|leverings\s*-?\s*datum", 1.0),),
        "gross_total": (
            (
                r"totaal\s+(?:incl\.?|inclusief)\s+btw|totaal\s*bedrag|factuur\s*bedrag|totaal\s+te\s+betalen",
                1.0,
            ),
            (r"^totaal\s*(?:€|eur)?\s*:?$", 0.5),
        ),
        "net_total": (
            (r"totaal\s+(?:excl\.?|exclusief)\s+btw|netto\s*bedrag|totaal\s+netto", 1.0),
            (r"subtotaal", 0.4),
        ),
        "tax_total": ((r"btw\s*-?\s*bedrag|totaal\s+btw|(?<!\w)btw(?!\s*-?\s*(?:nummer|nr|id|n°))", 0.7),),
        "line_total": ((r"subtotaal", 0.8),),
        "amount_due": (
            (r"(?<!totaal\s)te\s+betalen(?!\s+(?:vóór|voor))|openstaand\s+bedrag|nog\s+te\s+betalen", 1.0),
        ),
        "prepaid_amount": ((r"reeds\s+betaald|voorschot|aanbetaling|betaald", 0.9),),
        "allowance_total": ((r"korting", 0.8),),
        "currency": ((r"valuta", 1.0),),
    },
    months={
        "januari": 1,
        "jan": 1,
        "februari": 2,
        "feb": 2,
        "maart": 3,
        "mrt": 3,
        "april": 4,
        "apr": 4,
        "mei": 5,
        "juni": 6,
        "jun": 6,
        "juli": 7,
        "jul": 7,
        "augustus": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "oktober": 10,
        "okt": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
    seller_headers=(r"leverancier", r"afzender", r"verkoper", r"van"),
    buyer_headers=(r"klant", r"factuuradres", r"debiteur", r"afnemer", r"geadresseerde", r"aan", r"koper"),
    buyer_hints=(r"uw", r"klant", r"afnemer"),
    vat_labels=(r"btw\s*-?\s*(?:nummer|nr\.?|id)", r"btw"),
    credit_note_words=(r"creditnota", r"creditfactuur"),
    countries={"nederland": "NL", "belgië": "BE", "duitsland": "DE", "frankrijk": "FR"},
    page_words=(r"pagina", r"blad"),
    position_words=(r"regel",),
    payment_days=(r"binnen\s+(?P<days>\d{1,3})\s+dagen",),
    payment_now=(r"per\s+omgaande", r"bij\s+ontvangst"),
)
