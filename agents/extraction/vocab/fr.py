"""French (France, Belgium, Switzerland) invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

_NOT_ORIGINAL = r"(?!\s+(?:associée|d'origine|initiale))"

VOCAB = Vocabulary(
    language="fr",
    labels={
        "invoice_number": (
            (r"(?:facture|avoir)(?:\s+\w+)?\s*(?:n°|nº|no\.?|numéro|num\.?)", 1.0),
            (rf"(?:n°|nº|numéro)\s*(?:de\s+)?facture{_NOT_ORIGINAL}", 1.0),
            (r"^(?:facture|avoir)\s*(?:#|n°)?(?:[:\s]*(?=\S*\d)|$)", 0.6),
            (r"^\w*factur\w*\s*n°", 0.8),
        ),
        "issue_date": (
            (rf"date\s+(?:de\s+)?(?:la\s+)?facture{_NOT_ORIGINAL}|date\s+d['\u2019]émission", 1.0),
            (r"(?<!\w)date\s*:", 0.6),
            (r"^facture$", 0.5),
        ),
        "due_date": (
            (
                r"date\s+d['\u2019]\s?échéance|échéance|echeance|à\s+payer\s+avant\s+le|"
                r"date\s+limite\s+de\s+(?:paiement|règlement)",
                1.0,
            ),
        ),
        "delivery_date": (
            (r"date\s+de\s+(?:livraison|prestation|la\s+prestation)|période\s+de\s+prestation", 1.0),
        ),
        "gross_total": ((r"total\s+ttc|montant\s+ttc|total\s+toutes\s+taxes|total\s+tvac", 1.0),),
        "net_total": ((r"total\s+ht|montant\s+ht|total\s+hors\s+taxes?|sous-total\s+ht", 1.0),),
        "tax_total": (
            (r"total\s+tva|montant\s+(?:de\s+la\s+)?tva|tva(?!\s*(?:intra|:\s*[a-z]{2}|n°))", 0.7),
        ),
        "line_total": ((r"total\s+(?:des\s+)?lignes|total\s+ht\s+lignes", 1.0),),
        "amount_due": (
            (
                r"net\s+à\s+payer|reste\s+à\s+payer|montant\s+(?:dû|à\s+payer)|(?<!\w)a\s+payer|solde\s+dû",
                1.0,
            ),
        ),
        "prepaid_amount": ((r"acompte|déjà\s+(?:payé|réglé)|avance", 1.0),),
        "allowance_total": ((r"total\s+remises?|remises?\s+globales?", 0.8),),
        "charge_total": ((r"total\s+(?:des\s+)?(?:charges|frais)", 0.8),),
        "currency": ((r"devise|montants?\s+en", 1.0),),
    },
    months={
        "janvier": 1,
        "janv": 1,
        "février": 2,
        "fevrier": 2,
        "févr": 2,
        "fev": 2,
        "mars": 3,
        "avril": 4,
        "avr": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "juil": 7,
        "août": 8,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "décembre": 12,
        "decembre": 12,
        "déc": 12,
    },
    seller_headers=(r"vendeur", r"fournisseur", r"émetteur", r"emetteur", r"prestataire", r"expéditeur"),
    buyer_headers=(
        r"client",
        r"adresse\s+du\s+client",
        r"acheteur",
        r"destinataire",
        r"adresse\s+de\s+facturation",
        r"factur[ée]\s+à",
        r"vos\s+identifiants",
    ),
    buyer_hints=(r"vos", r"votre", r"client", r"acheteur"),
    vat_labels=(r"tva", r"n°\s*tva", r"identifiant", r"mwst", r"tva\s+intracommunautaire"),
    credit_note_words=(r"avoir", r"note\s+de\s+crédit"),
    countries={
        "france": "FR",
        "allemagne": "DE",
        "suisse": "CH",
        "belgique": "BE",
        "luxembourg": "LU",
        "pays-bas": "NL",
        "italie": "IT",
        "espagne": "ES",
        "autriche": "AT",
    },
    page_words=(r"page",),
    position_words=(r"ligne",),
    payment_days=(r"(?:à|a|sous)\s+(?P<days>\d{1,3})\s+jours",),
    payment_now=(r"(?:à|dès)\s+réception", r"comptant"),
    columns={
        "gross": (r"\bttc\b",),
        "allow": (r"remise", r"rabais"),
        "basis": (r"pour\s*p\.?\s?u\b",),
        "tax_amount": (r"montant\s+tva",),
        "price": (r"prix", r"p\.\s?u\b", r"unitaire"),
        "total_price": (r"prix\s+total",),
        "qty": (r"quantit", r"\bqt[ée]"),
        "unit": (r"unit[ée]",),
        "net": (r"montant", r"total", r"\bht\b", r"hors\s+taxe"),
        "tax": (r"\btva\b",),
        "desc": (r"d[ée]signation", r"libell", r"description", r"prestation"),
        "pos": (r"ligne", r"n[°o]\.?"),
    },
    table_end=(r"taux (?:de )?tva", r"montant total", r"sous-total", r"total\b", r"d[ée]tail tva", r"tva\b", r"conditions de paiement"),
)
