"""Italian invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

VOCAB = Vocabulary(
    language="it",
    labels={
        "invoice_number": (
            (
                r"numero\s+(?:fattura|documento)|fattura\s*(?:n\.?|nr\.?|n°|numero|#)|n\.\s*(?:fattura|documento)",
                1.0,
            ),
            (r"^fattura\s*(?:#|n\.?)?(?:[:\s]*(?=\S*\d)|$)", 0.6),
        ),
        "issue_date": (
            (r"data\s+(?:fattura|documento|emissione|di\s+emissione)", 1.0),
            (r"(?<!\w)data\s*:", 0.6),
            (r"fattura\s*(?:n\.?|nr\.?|n°)\s*[\w/.-]+\s+del\b", 0.8),
        ),
        "due_date": ((r"(?:data\s+(?:di\s+)?)?scadenza|da\s+pagare\s+entro", 1.0),),
        "delivery_date": ((r"data\s+(?:di\s+)?consegna", 1.0),),
        "gross_total": (
            (
                r"totale\s+(?:fattura|documento|complessivo|ivato|iva\s+inclusa)|importo\s+totale|"
                r"totale\s+generale",
                1.0,
            ),
            (r"^totale\s*(?:€|eur)?\s*:?$", 0.5),
        ),
        "net_total": ((r"totale\s+(?:imponibile|netto|merce)|imponibile", 0.9),),
        "tax_total": (
            (r"totale\s+iva|importo\s+iva|imposta", 1.0),
            (r"(?<![./\w])iva\b(?!\s*(?:n\.|nr|numero|:?\s*it\d))", 0.5),
        ),
        "amount_due": (
            (r"netto\s+a\s+pagare|totale\s+da\s+pagare|importo\s+dovuto|da\s+pagare(?!\s+entro)", 1.0),
        ),
        "prepaid_amount": ((r"acconto|già\s+pagato|anticipo", 1.0),),
        "allowance_total": ((r"sconto", 0.8),),
        "currency": ((r"valuta", 1.0),),
    },
    months={
        "gennaio": 1,
        "gen": 1,
        "febbraio": 2,
        "marzo": 3,
        "aprile": 4,
        "maggio": 5,
        "mag": 5,
        "giugno": 6,
        "giu": 6,
        "luglio": 7,
        "lug": 7,
        "agosto": 8,
        "ago": 8,
        "settembre": 9,
        "set": 9,
        "ottobre": 10,
        "ott": 10,
        "novembre": 11,
        "dicembre": 12,
        "dic": 12,
    },
    seller_headers=(
        r"cedente",
        r"cedente\s*/\s*prestatore",
        r"prestatore",
        r"fornitore",
        r"mittente",
        r"venditore",
    ),
    buyer_headers=(
        r"cessionario",
        r"cessionario\s*/\s*committente",
        r"committente",
        r"cliente",
        r"destinatario",
        r"spett\.?(?:le)?",
        r"intestatario",
    ),
    buyer_hints=(r"cliente", r"vostr[oa]"),
    vat_labels=(r"p\.?\s*iva", r"partita\s+iva"),
    credit_note_words=(r"nota\s+di\s+credito",),
    countries={"italia": "IT", "germania": "DE", "francia": "FR", "spagna": "ES", "svizzera": "CH"},
    page_words=(r"pagina", r"pag\."),
    position_words=(r"riga",),
    payment_days=(r"(?P<days>\d{1,3})\s+(?:gg|giorni)",),
    payment_now=(r"a\s+vista", r"pagamento\s+immediato"),
)
