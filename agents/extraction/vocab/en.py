"""English (UK, US, Irish) invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

VOCAB = Vocabulary(
    language="en",
    labels={
        "invoice_number": (
            (r"(?:invoice|credit\s+note|bill)\s*(?:number|no\.?|nr\.?|#|n°|id)", 1.0),
            (r"^(?:tax\s+)?invoice\s*(?:#|no\.?)?(?=\s*\S*\d)", 0.6),
        ),
        "issue_date": (
            (r"invoice\s+date|date\s+of\s+issue|issue\s+date|date\s+issued|billing\s+date", 1.0),
            (r"(?<!\w)date\s*:", 0.6),
            (r"^invoice$", 0.5),
        ),
        "due_date": (
            (r"due\s+date|payment\s+due|payable\s+(?:by|until)|due\s+(?:on|by)|pay\s+by", 1.0),
            (r"(?<!\w)due\s*:", 0.8),
        ),
        "delivery_date": (
            (r"delivery\s+date|date\s+of\s+(?:supply|delivery|service)|service\s+(?:date|period)", 1.0),
            (r"tax\s+point|ship(?:ping|ment)?\s+date", 0.8),
        ),
        "gross_total": (
            (
                r"total\s+amount\s*\(gross\)|total\s+(?:\S+\s+)?incl\.?\s+(?:vat|tax)|grand\s+total|"
                r"invoice\s+(?:total|amount)",
                1.0,
            ),
            (r"total\s+(?:amount|due)?\s*(?:incl|including)", 0.9),
            (r"^total\s*(?:amount)?\s*(?:[€$£]|eur|usd|gbp)?\s*:?$", 0.5),
        ),
        "net_total": (
            (
                r"total\s+amount\s*\(net\)|total\s+(?:\S+\s+)?excl\.?\s+(?:vat|tax)|net\s+total|total\s+net|"
                r"net\s+amount",
                1.0,
            ),
            (r"subtotal|sub-total|sub\s+total", 0.4),
        ),
        "tax_total": (
            (
                r"total\s+tax(?:\s+amount)?|tax\s+amount|total\s+vat|vat\s+amount|\d+\s*%\s*vat|sales\s+tax",
                1.0,
            ),
            (r"^(?:vat|tax|gst)\b(?!\s*(?:id|no|number|reg))", 0.5),
        ),
        "line_total": (
            (r"sum\s+of\s+lines?|line\s+total", 1.0),
            (r"subtotal|sub-total|sub\s+total", 0.8),
        ),
        "amount_due": (
            (r"amount\s+due|balance\s+due|amount\s+payable|total\s+due|amount\s+to\s+pay", 1.0),
            (r"^balance\b", 0.7),
        ),
        "prepaid_amount": (
            (r"paid\s+amount|prepaid|amount\s+paid|already\s+paid|deposit|payments?\s*/?\s*credits?", 1.0),
        ),
        "allowance_total": ((r"discount|allowances?(?:\s+total)?", 0.8),),
        "charge_total": ((r"surcharge(?:/charge)?|charges?\s+total", 0.8),),
        "seller_tax_number": ((r"tax\s+(?:no\.?|number)", 1.0),),
        "currency": ((r"currency", 1.0),),
    },
    months={
        "january": 1,
        "jan": 1,
        "february": 2,
        "feb": 2,
        "march": 3,
        "mar": 3,
        "april": 4,
        "apr": 4,
        "may": 5,
        "june": 6,
        "jun": 6,
        "july": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "october": 10,
        "oct": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
    seller_headers=(r"seller", r"supplier", r"vendor", r"from", r"issued\s+by", r"pay\s+to", r"remit\s+to"),
    buyer_headers=(
        r"buyer",
        r"customer",
        r"bill(?:ed)?\s+to",
        r"invoice\s+to",
        r"invoiced\s+to",
        r"sold\s+to",
        r"to",
        r"client",
        r"purchaser",
        r"your\s+details",
    ),
    buyer_hints=(r"your", r"customer", r"buyer", r"client"),
    vat_labels=(r"vat\s*(?:id|reg|no|number)", r"vat", r"tax\s+no", r"tax\s+id"),
    credit_note_words=(r"credit\s*note",),
    countries={
        "germany": "DE",
        "france": "FR",
        "austria": "AT",
        "switzerland": "CH",
        "belgium": "BE",
        "netherlands": "NL",
        "the netherlands": "NL",
        "italy": "IT",
        "spain": "ES",
        "poland": "PL",
        "czech republic": "CZ",
        "czechia": "CZ",
        "ireland": "IE",
        "united kingdom": "GB",
        "united states": "US",
        "usa": "US",
        "luxembourg": "LU",
    },
    page_words=(r"page", r"p\."),
    position_words=(r"item\s+no\.?", r"line", r"no\."),
)
