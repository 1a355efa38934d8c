"""The words that name a document's class, one table per language.

Each table lists, per class, the phrases a title would use, plus the words that turn a following
class word into a reference to another document ("zur Rechnung", "your invoice", "N° bon de
livraison") and the compound labels that only an invoice prints ("Rechnungsnummer"). Adding a
language is one table here; `agents/extraction`'s per-language vocabularies may absorb these later.
Phrases are written as printed; `classify` folds case and accents before matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DocumentClass = Literal[
    "invoice",
    "credit_note",
    "payment_reminder",
    "receipt",
    "order_confirmation",
    "delivery_note",
    "quote",
    "account_statement",
    "not_invoice",
]
#: Documents that are not invoices but name themselves; a title of one decides, ahead of any invoice word.
OTHER_DOCUMENTS: tuple[DocumentClass, ...] = (
    "payment_reminder",
    "receipt",
    "order_confirmation",
    "delivery_note",
    "quote",
    "account_statement",
)


@dataclass(frozen=True)
class ClassWords:
    language: str
    titles: dict[DocumentClass, tuple[str, ...]]
    #: Labels naming an invoice's own number, date or amount.
    invoice_labels: tuple[str, ...] = ()
    #: Articles, possessives and prepositions: before a class word they make it a reference.
    references: tuple[str, ...] = field(default=())
    #: Words that may precede a title ("Zweite Mahnung", "Final reminder").
    ordinals: tuple[str, ...] = field(default=())
    #: Endings that make any compound an invoice word ("Handelsrechnung", "Eindfactuur").
    invoice_endings: tuple[str, ...] = field(default=())
    #: Phrases that are also everyday words ("avoir": to have): they count only opening a line.
    title_only: tuple[str, ...] = field(default=())


DE = ClassWords(
    "de",
    {
        "invoice": (
            "Rechnung",
            "Abschlagsrechnung",
            "Teilrechnung",
            "Schlussrechnung",
            "Sammelrechnung",
            "Warenrechnung",
            "Kostenrechnung",
            "Endrechnung",
            "Rechnungskopie",
        ),
        "credit_note": (
            "Gutschrift",
            "Rechnungskorrektur",
            "Stornorechnung",
            "Korrekturrechnung",
            "Rechnungs-Korrektur",
        ),
        "payment_reminder": ("Mahnung", "Zahlungserinnerung", "Letzte Mahnung", "Zahlungsaufforderung"),
        "receipt": ("Quittung", "Kassenbon", "Kassenbeleg", "Kassenzettel", "Zahlungsbestätigung"),
        "order_confirmation": ("Auftragsbestätigung", "Bestellbestätigung"),
        "delivery_note": ("Lieferschein", "Packliste"),
        "quote": ("Angebot", "Kostenvoranschlag", "Preisangebot"),
        "account_statement": ("Kontoauszug", "Saldenbestätigung", "Offene-Posten-Liste"),
        "not_invoice": ("Newsletter", "abmelden", "Einladung", "Rundschreiben", "Anmeldung"),
    },
    ("Rechnungsnummer", "Rechnungs-Nr", "Rechnungsnr", "Rechnungsdatum", "Rechnungsbetrag"),
    (
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "zur",
        "zum",
        "zu",
        "gemäß",
        "gem",
        "laut",
        "lt",
        "aus",
        "unsere",
        "unserer",
        "unser",
        "unseres",
        "ihre",
        "ihrer",
        "ihr",
        "ihres",
        "bezüglich",
        "betr",
        "siehe",
        "per",
        "mit",
        "für",
        "auf",
        "nach",
        "diese",
        "dieser",
    ),
    ("erste", "zweite", "dritte", "letzte"),
    ("rechnung",),
)

EN = ClassWords(
    "en",
    {
        "invoice": ("Invoice", "Tax invoice", "Commercial invoice", "VAT invoice"),
        "credit_note": ("Credit note", "Credit memo", "Credit invoice"),
        "payment_reminder": (
            "Payment reminder",
            "Reminder",
            "Final reminder",
            "Overdue notice",
            "Past due notice",
            "Reminder notice",
            "Dunning letter",
        ),
        "receipt": ("Receipt", "Payment receipt", "Sales receipt", "Cash receipt"),
        "order_confirmation": ("Order confirmation", "Order acknowledgement", "Sales order confirmation"),
        "delivery_note": ("Delivery note", "Packing slip", "Packing list", "Dispatch note", "Delivery slip"),
        "quote": ("Quotation", "Quote", "Estimate", "Cost estimate", "Price quote", "Offer"),
        "account_statement": ("Statement of account", "Account statement", "Statement", "Bank statement"),
        "not_invoice": ("Newsletter", "unsubscribe", "Invitation", "Registration"),
    },
    ("Invoice number", "Invoice no", "Invoice #", "Invoice date", "Invoice total", "Invoice amount"),
    (
        "the",
        "a",
        "an",
        "your",
        "our",
        "this",
        "that",
        "for",
        "of",
        "to",
        "re",
        "regarding",
        "per",
        "against",
        "with",
        "on",
        "under",
        "see",
        "from",
        "each",
        "any",
        "its",
    ),
    ("first", "second", "third", "final", "last"),
)

FR = ClassWords(
    "fr",
    {
        "invoice": ("Facture", "Facture d'acompte", "Facture de solde"),
        "credit_note": ("Avoir", "Facture d'avoir", "Note de crédit", "Facture rectificative"),
        "payment_reminder": (
            "Relance",
            "Relance de paiement",
            "Lettre de relance",
            "Rappel de paiement",
            "Mise en demeure",
            "Avis de relance",
        ),
        "receipt": ("Reçu", "Ticket de caisse", "Quittance", "Reçu de paiement"),
        "order_confirmation": (
            "Confirmation de commande",
            "Accusé de réception de commande",
            "Bon de commande",
        ),
        "delivery_note": ("Bon de livraison", "Bordereau de livraison", "Bon de réception"),
        "quote": ("Devis", "Offre de prix", "Proposition commerciale"),
        "account_statement": ("Relevé de compte", "Extrait de compte"),
        "not_invoice": ("Newsletter", "se désabonner", "désinscription", "Invitation", "Inscription"),
    },
    ("Numéro de facture", "N° de facture", "Date de facture", "Date de la facture", "Facture n°"),
    (
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "du",
        "de",
        "des",
        "d",
        "votre",
        "notre",
        "vos",
        "nos",
        "au",
        "aux",
        "à",
        "pour",
        "selon",
        "suivant",
        "concernant",
        "sur",
        "par",
        "cette",
        "ce",
    ),
    ("1re", "1ère", "2e", "première", "deuxième", "dernière"),
    title_only=("Avoir",),
)

NL = ClassWords(
    "nl",
    {
        "invoice": ("Factuur", "Btw-factuur", "Verkoopfactuur"),
        "credit_note": ("Creditnota", "Creditfactuur", "Credit nota"),
        "payment_reminder": ("Betalingsherinnering", "Herinnering", "Aanmaning", "Ingebrekestelling"),
        "receipt": ("Kassabon", "Ontvangstbewijs", "Kwitantie"),
        "order_confirmation": ("Orderbevestiging", "Opdrachtbevestiging", "Bestelbevestiging"),
        "delivery_note": ("Pakbon", "Leveringsbon", "Afleverbon", "Vrachtbrief"),
        "quote": ("Offerte", "Prijsopgave", "Kostenraming"),
        "account_statement": ("Rekeningoverzicht", "Rekeningafschrift"),
        "not_invoice": ("Nieuwsbrief", "afmelden", "Uitnodiging", "Inschrijving"),
    },
    ("Factuurnummer", "Factuurnr", "Factuurdatum", "Factuurbedrag"),
    (
        "de",
        "het",
        "een",
        "uw",
        "onze",
        "ons",
        "deze",
        "dit",
        "bij",
        "volgens",
        "voor",
        "van",
        "op",
        "met",
        "naar",
        "betreft",
    ),
    ("eerste", "tweede", "derde", "laatste"),
    ("factuur",),
)

IT = ClassWords(
    "it",
    {
        "invoice": ("Fattura", "Fattura elettronica", "Fattura differita", "Fattura accompagnatoria"),
        "credit_note": ("Nota di credito", "Nota credito"),
        "payment_reminder": ("Sollecito di pagamento", "Sollecito", "Messa in mora"),
        "receipt": ("Ricevuta", "Scontrino", "Ricevuta di pagamento"),
        "order_confirmation": ("Conferma d'ordine", "Conferma ordine", "Conferma dell'ordine"),
        "delivery_note": ("Documento di trasporto", "DDT", "Bolla di consegna", "Bolla di accompagnamento"),
        "quote": ("Preventivo", "Offerta"),
        "account_statement": ("Estratto conto",),
        "not_invoice": ("Newsletter", "disiscriviti", "Invito", "Iscrizione"),
    },
    ("Numero fattura", "N. fattura", "Data fattura", "Fattura n"),
    (
        "il",
        "lo",
        "la",
        "i",
        "gli",
        "le",
        "un",
        "una",
        "uno",
        "del",
        "della",
        "dei",
        "al",
        "alla",
        "vostra",
        "nostra",
        "vs",
        "ns",
        "rif",
        "per",
        "come",
        "secondo",
        "su",
        "di",
        "da",
        "in",
        "con",
    ),
    ("primo", "secondo", "ultimo"),
)

ES = ClassWords(
    "es",
    {
        "invoice": ("Factura", "Factura simplificada"),
        "credit_note": ("Factura rectificativa", "Nota de crédito", "Factura de abono"),
        "payment_reminder": (
            "Recordatorio de pago",
            "Recordatorio",
            "Requerimiento de pago",
            "Aviso de impago",
        ),
        "receipt": ("Recibo", "Ticket", "Justificante de pago"),
        "order_confirmation": ("Confirmación de pedido", "Confirmación del pedido"),
        "delivery_note": ("Albarán", "Nota de entrega", "Albarán de entrega"),
        "quote": ("Presupuesto", "Oferta", "Cotización"),
        "account_statement": ("Extracto de cuenta", "Extracto"),
        "not_invoice": ("Boletín", "darse de baja", "Invitación", "Inscripción"),
    },
    ("Número de factura", "Nº factura", "Nº de factura", "Fecha de factura", "Fecha factura"),
    (
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "su",
        "sus",
        "nuestra",
        "nuestro",
        "vuestra",
        "del",
        "al",
        "según",
        "para",
        "por",
        "de",
        "en",
        "con",
        "esta",
        "este",
    ),
    ("primer", "segundo", "último"),
)

PL = ClassWords(
    "pl",
    {
        "invoice": ("Faktura", "Faktura VAT", "Faktura zaliczkowa", "Faktura końcowa"),
        "credit_note": ("Faktura korygująca", "Korekta faktury", "Nota korygująca", "Nota uznaniowa"),
        "payment_reminder": ("Wezwanie do zapłaty", "Przypomnienie o płatności", "Monit", "Przypomnienie"),
        "receipt": ("Paragon", "Paragon fiskalny", "Pokwitowanie", "Potwierdzenie zapłaty"),
        "order_confirmation": ("Potwierdzenie zamówienia",),
        "delivery_note": ("WZ", "Wydanie zewnętrzne", "Dowód dostawy", "List przewozowy"),
        "quote": ("Oferta", "Oferta handlowa", "Kosztorys", "Wycena"),
        "account_statement": ("Wyciąg z konta", "Wyciąg bankowy"),
        "not_invoice": ("Newsletter", "wypisz się", "Zaproszenie", "Rejestracja"),
    },
    ("Numer faktury", "Nr faktury", "Faktura nr"),
    ("do", "z", "ze", "na", "wg", "według", "dla", "od", "w", "we", "nasza", "naszej", "państwa", "tej"),
    ("pierwsze", "drugie", "ostateczne"),
)

CS = ClassWords(
    "cs",
    {
        "invoice": ("Faktura", "Daňový doklad", "Faktura - daňový doklad"),
        "credit_note": ("Dobropis", "Opravný daňový doklad", "Opravná faktura"),
        "payment_reminder": ("Upomínka", "Upomínka platby", "Výzva k úhradě", "Připomínka"),
        "receipt": ("Účtenka", "Stvrzenka", "Pokladní doklad", "Příjmový pokladní doklad"),
        "order_confirmation": ("Potvrzení objednávky",),
        "delivery_note": ("Dodací list",),
        "quote": ("Nabídka", "Cenová nabídka", "Rozpočet"),
        "account_statement": ("Výpis z účtu",),
        "not_invoice": ("Newsletter", "odhlásit", "Pozvánka", "Registrace"),
    },
    ("Číslo faktury", "Faktura č"),
    ("k", "ke", "ze", "z", "na", "dle", "podle", "pro", "od", "do", "vaší", "naší", "vaše", "naše", "této"),
    ("první", "druhá", "poslední"),
)

LANGUAGES: tuple[ClassWords, ...] = (DE, EN, FR, NL, IT, ES, PL, CS)
