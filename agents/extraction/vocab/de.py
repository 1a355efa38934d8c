"""German (also Austrian and Swiss) invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

VOCAB = Vocabulary(
    language="de",
    labels={
        "invoice_number": (
            (r"rechnungs?\s*-?\s*(?:nummer|nr\.?|no\.?)", 1.0),
            (r"gutschrift(?:s)?\s*-?\s*(?:nummer|nr\.?)", 1.0),
            (r"\(\d{3}\)\s*nr\.?", 1.0),
            (r"beleg\s*-?\s*(?:nummer|nr\.?)", 0.9),
            (r"(?<!\w)re\.?\s*-\s*nr\.?", 0.9),
            (r"^(?:rechnung|gutschrift)\s*(?:#|nr\.?)?(?:[:\s]*(?=\S*\d)|$)", 0.6),
            (r"^nr\.?\s*:", 0.5),
        ),
        "issue_date": (
            (r"rechnungs\s*-?\s*datum|ausstellungsdatum|datum\s+der\s+rechnung", 1.0),
            (r"beleg\s*-?\s*datum", 0.9),
            (r"gutschriftsdatum", 1.0),
            (r"(?<!\w)datum\s*:", 0.6),
            # A document title with the date beside it: "Beitragsrechnung   24. Januar 2014".
            (r"^\w*rechnung$", 0.5),
            (r"(?:\bnr\.?|#)\s*[\w/.-]+\s+vom\b", 0.8),
        ),
        "due_date": (
            (r"f[äa]llig(?:keit|keitsdatum)?(?:\s+am)?", 1.0),
            (r"zahlbar\s+(?:bis|am)|zahlbar\b[^\d]{0,30}?\bbis", 0.7),
            (r"netto\s+bis", 0.7),
            (r"zahlungsziel", 0.8),
            (r"bis\s+(?:zum|spätestens)", 0.5),
        ),
        "delivery_date": (
            (r"leistungs\s*-?\s*datum|liefer\s*-?\s*datum|leistungs\s*-?\s*zeitraum|lieferzeitraum", 1.0),
            (r"datum\s+der\s+(?:leistung|lieferung)|leistungszeitpunkt|liefertag", 1.0),
        ),
        "gross_total": (
            (r"brutto\s*summe|rechnungssumme\s+brutto|summe\s+brutto|gesamt\s*brutto|bruttobetrag", 1.0),
            (
                r"summe\s+(?:inkl|incl)\.?|rechnungsbetrag|rechnungsbeitrag|gesamtbetrag(?!\s+der)|endbetrag|"
                r"gesamtsumme|rechnungssumme(?!\s+(?:netto|ohne))|gesamt\w*\s+inkl",
                0.8,
            ),
            (r"^gesamt\s*:", 0.6),
        ),
        "net_total": (
            (
                r"rechnungssumme\s+(?:ohne\s+ust|netto)|summe\s+netto|gesamtbeitrag|nettobeitrag|"
                r"gesamt\s*netto|nettosumme|netto\s*gesamt|zwischensumme\s+netto",
                1.0,
            ),
            (r"nettobetrag|netto(?:wert)?(?!\w)", 0.5),
            (r"zwischensumme", 0.4),
        ),
        "tax_total": (
            (
                r"summe\s+(?:umsatzsteuer|mwst|ust)|steuerbetrag|versicherungsteuer|gesamt\s*(?:mwst|ust)|"
                r"mwst\.?\s*-?\s*betrag",
                1.0,
            ),
            # "(inkl. MwSt)" qualifies another amount; it announces no tax of its own.
            (
                r"(?<!\w)(?<!inkl\.\s)(?<!inkl\.)(?<!incl\.\s)(?<!\()(?:umsatzsteuer|mehrwertsteuer|mwst|ust)\b\.?"
                r"(?!\s*-?\s*id)|versicherungssteuer",
                0.6,
            ),
        ),
        "line_total": (
            (r"positionssumme|summe\s+(?:der\s+)?positionen|warenwert|summe\s+positionen", 1.0),
            (r"zwischensumme", 0.8),
        ),
        "amount_due": (
            (
                r"zahlbetrag|offener\s+betrag|zu\s+zahlen(?:der\s+betrag)?|restbetrag|noch\s+zu\s+zahlen|"
                r"verbleibender\s+betrag|offen(?:er)?\s+saldo",
                1.0,
            ),
        ),
        "prepaid_amount": (
            (
                r"erhaltene\s+anzahlungen?|bereits\s+(?:bezahlt|gezahlt|erhalten)|anzahlung|vorauszahlung|"
                r"abschlagszahlung|akonto|summe\s+geleisteter\s+zahlungen\s+brutto",
                1.0,
            ),
            (r"geleistete\w*\s+zahlungen|bereits\s+geleistet", 0.8),
        ),
        "allowance_total": (
            (r"gesamtbetrag\s+der\s+abschläge|summe\s+(?:der\s+)?(?:abschläge|rabatte|nachlässe)", 1.0),
        ),
        "charge_total": ((r"gesamtbetrag\s+der\s+zuschläge|summe\s+(?:der\s+)?zuschläge", 1.0),),
        "seller_tax_number": ((r"steuer\s*-?\s*(?:nummer|nr\.?)|(?<!\w)st\.?\s*-?\s*nr\.?", 1.0),),
        "currency": ((r"währung|beträge\s+in", 1.0),),
    },
    months={
        "januar": 1,
        "jänner": 1,
        "jan": 1,
        "februar": 2,
        "feber": 2,
        "feb": 2,
        "märz": 3,
        "maerz": 3,
        "mär": 3,
        "april": 4,
        "apr": 4,
        "mai": 5,
        "juni": 6,
        "jun": 6,
        "juli": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "oktober": 10,
        "okt": 10,
        "november": 11,
        "nov": 11,
        "dezember": 12,
        "dez": 12,
    },
    seller_headers=(
        r"verk(?:ä|ae)ufer",
        r"rechnungsersteller",
        r"rechnungssteller",
        r"lieferant",
        r"leistungserbringer",
        r"absender",
        r"von",
        r"auftragnehmer",
    ),
    buyer_headers=(
        r"k(?:ä|ae)ufer",
        r"rechnungsempf(?:ä|ae)nger",
        r"leistungsempfänger",
        r"kunde",
        r"kundenname",
        r"empfänger",
        r"rechnungsadresse",
        r"rechnungsanschrift",
        r"auftraggeber",
        r"an",
        r"ihre\s+angaben",
    ),
    buyer_hints=(r"ihre?", r"kunde", r"kunden", r"käufer", r"empfänger"),
    vat_labels=(
        r"ust\.?\s*-?\s*id",
        r"umsatzsteuer\s*-?\s*id",
        r"ust\.?\s*-?\s*ident",
        r"uid(?:\s*-?\s*nr\.?)?",
        r"mwst\.?\s*-?\s*nr",
        r"steuer",
    ),
    credit_note_words=(r"gutschrift",),
    countries={
        "deutschland": "DE",
        "germany": "DE",
        "österreich": "AT",
        "schweiz": "CH",
        "frankreich": "FR",
        "belgien": "BE",
        "niederlande": "NL",
        "italien": "IT",
        "luxemburg": "LU",
        "spanien": "ES",
        "polen": "PL",
        "tschechien": "CZ",
        "irland": "IE",
    },
    page_words=(r"seite", r"blatt"),
    position_words=(r"pos\.?", r"position", r"posten"),
    payment_days=(
        r"(?:innerhalb|binnen)\s+(?:von\s+)?(?P<days>\d{1,3})\s+tag",
        r"(?P<days>\d{1,3})\s+tage\s+netto",
        r"zahlbar\s+(?:in|nach)\s+(?P<days>\d{1,3})\s+tag",
        r"zahlungsziel\s*:?\s*(?P<days>\d{1,3})\s+tag",
    ),
    payment_now=(
        r"(?:zahlbar|fällig)\s+(?:sofort|nach\s+erhalt)",
        r"sofort\s+(?:zahlbar|fällig|ohne\s+abzug)",
        r"nach\s+erhalt\s+der\s+rechnung",
    ),
    columns={
        "gross": (r"brutto", r"inkl"),
        "allow": (r"rabatt", r"nachlass", r"abschlag", r"zuschlag"),
        "basis": (r"preiseinheit", r"basismenge", r"\bvke\b", r"\bpe\b", r"(?:pro|je)\s*p\.?\s?u\b"),
        "tax_amount": (r"(?:mwst|ust|steuer)\S*\s*-?betrag",),
        "price": (r"preis", r"^einzel\b", r"\bep\b", r"st\.-pr"),
        "total_price": (r"gesamtpreis",),
        "qty": (r"menge", r"anzahl", r"\banz\b", r"stückzahl", r"stunden", r"\((?:stk|stck|std|st)\.?\)"),
        "unit": (r"einheit", r"\bme\b", r"\beh\b"),
        "net": (r"betrag", r"gesamt", r"entgelt", r"summe", r"netto", r"wert", r"ohne\s+u?st"),
        "tax": (r"mwst", r"ust\b", r"ust\.", r"steuer"),
        "desc": (r"beschreib", r"bezeichn", r"leistung", r"\bartikel\b", r"\btext\b", r"produkt"),
        "pos": (r"pos\.?", r"position", r"nr\.?", r"lfd\.?"),
    },
    table_end=(
        r"steuersatz", r"mwst\.?-?satz", r"zwischensumme", r"summe", r"gesamtsumme", r"gesamtbetrag", r"rechnungssumme", r"rechnungsbetrag",
        r"nettobetrag", r"netto\b", r"warenwert", r"positionssumme", r"belegsummen", r"endbetrag",
        r"umsatzsteuer", r"steueraufschl", r"mwst\.?-?\b", r"zahlungsbedingungen",
    ),
)
