"""A labelled set of generated non-invoices: reminders, delivery notes, order confirmations, quotes,
account statements, receipts and letters in eight languages, drawn like the synthetic invoices
(letterhead, address window, footer with VAT ID and bank) so that only the document's class differs.

The hard cases are built in: a reminder quotes the invoice number and lists open invoices; delivery
notes, order confirmations and quotes carry prices and totals and say an invoice will follow; a
registration letter names a deadline ("anmelden bis 1. Juni"). The wording is written here as such
documents are worded, independently of the classifier's vocabulary.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bench.synth.canvas import Canvas
from bench.synth.locales import LOCALES, Locale
from bench.synth.parties import company, printed_iban

LEFT, RIGHT = 57.0, 538.0


@dataclass(frozen=True)
class Wording:
    """Per kind: the title, and the body lines ({ref} an invoice number, {date} a date)."""

    titles: dict[str, tuple[str, ...]]
    bodies: dict[str, tuple[str, ...]]
    table: tuple[str, str, str, str]  # description, quantity, price, amount
    total: str


WORDING: dict[str, Wording] = {
    "de": Wording(
        {
            "payment_reminder": ("Zahlungserinnerung", "1. Mahnung", "Letzte Mahnung"),
            "delivery_note": ("Lieferschein", "Lieferschein Nr. {ref}"),
            "order_confirmation": ("Auftragsbestätigung", "Auftragsbestätigung Nr. {ref}"),
            "quote": ("Angebot", "Kostenvoranschlag", "Angebot Nr. {ref}"),
            "account_statement": ("Kontoauszug",),
            "receipt": ("Quittung",),
            "not_invoice": ("Einladung zum Kundentag",),
        },
        {
            "payment_reminder": (
                "sicher ist es Ihrer Aufmerksamkeit entgangen, dass unsere Rechnung Nr. {ref}",
                "vom {date} noch offen ist. Bitte überweisen Sie den Betrag bis zum {date}.",
            ),
            "delivery_note": ("Wir liefern Ihnen heute folgende Waren. Die Rechnung erhalten Sie separat.",),
            "order_confirmation": (
                "vielen Dank für Ihre Bestellung, die wir hiermit bestätigen.",
                "Die Rechnung folgt mit der Lieferung am {date}.",
            ),
            "quote": (
                "gerne bieten wir Ihnen an. Dieses Angebot gilt bis zum {date}.",
                "Nach Auftragserteilung stellen wir eine Rechnung über den Gesamtbetrag.",
            ),
            "account_statement": ("Ihr Kontostand zum {date}: offene Posten laut Aufstellung.",),
            "receipt": ("Betrag dankend in bar erhalten am {date}.",),
            "not_invoice": (
                "wir laden Sie herzlich zu unserem Kundentag ein.",
                "Bitte anmelden bis 1. Juni unter der Telefonnummer unten.",
                "Die Teilnahme ist kostenlos.",
            ),
        },
        ("Beschreibung", "Menge", "Preis", "Betrag"),
        "Summe",
    ),
    "en": Wording(
        {
            "payment_reminder": ("Payment Reminder", "Final Reminder", "Overdue Notice"),
            "delivery_note": ("Delivery Note", "Packing Slip"),
            "order_confirmation": ("Order Confirmation",),
            "quote": ("Quotation", "Estimate", "Quote #{ref}"),
            "account_statement": ("Statement of Account",),
            "receipt": ("Payment Receipt",),
            "not_invoice": ("Annual customer survey",),
        },
        {
            "payment_reminder": (
                "Our records show that invoice {ref} dated {date} is still unpaid.",
                "Please settle the balance by {date}.",
            ),
            "delivery_note": ("Goods shipped today. The invoice will be sent separately.",),
            "order_confirmation": ("Thank you for your order. An invoice will follow on shipment ({date}).",),
            "quote": ("This quotation is valid until {date}. Prices exclude VAT.",),
            "account_statement": ("Open items on your account as of {date}.",),
            "receipt": ("Received with thanks on {date}.",),
            "not_invoice": (
                "Please tell us what you think of our service by {date}.",
                "Register online; it takes five minutes.",
            ),
        },
        ("Description", "Qty", "Price", "Amount"),
        "Total",
    ),
    "fr": Wording(
        {
            "payment_reminder": ("Relance de paiement", "Rappel de paiement"),
            "delivery_note": ("Bon de livraison",),
            "order_confirmation": ("Confirmation de commande",),
            "quote": ("Devis", "Devis n° {ref}"),
            "account_statement": ("Relevé de compte",),
            "receipt": ("Reçu",),
            "not_invoice": ("Invitation à notre journée portes ouvertes",),
        },
        {
            "payment_reminder": ("Sauf erreur de notre part, la facture n° {ref} du {date} reste impayée.",),
            "delivery_note": ("La facture vous sera adressée séparément.",),
            "order_confirmation": ("Nous confirmons votre commande. La facture suivra le {date}.",),
            "quote": ("Devis valable jusqu'au {date}.",),
            "account_statement": ("Situation de votre compte au {date}.",),
            "receipt": ("Reçu la somme ci-dessous le {date}.",),
            "not_invoice": ("Inscription avant le {date} auprès de notre accueil.",),
        },
        ("Désignation", "Qté", "Prix", "Montant"),
        "Total",
    ),
    "nl": Wording(
        {
            "payment_reminder": ("Betalingsherinnering", "Aanmaning"),
            "delivery_note": ("Pakbon",),
            "order_confirmation": ("Orderbevestiging",),
            "quote": ("Offerte",),
            "account_statement": ("Rekeningoverzicht",),
            "receipt": ("Kwitantie",),
            "not_invoice": ("Uitnodiging klantendag",),
        },
        {
            "payment_reminder": ("Volgens onze administratie is factuur {ref} van {date} nog niet betaald.",),
            "delivery_note": ("De factuur ontvangt u apart.",),
            "order_confirmation": ("Hartelijk dank voor uw bestelling. De factuur volgt op {date}.",),
            "quote": ("Deze offerte is geldig tot {date}.",),
            "account_statement": ("Openstaande posten per {date}.",),
            "receipt": ("Contant ontvangen op {date}.",),
            "not_invoice": ("Aanmelden kan tot {date}.",),
        },
        ("Omschrijving", "Aantal", "Prijs", "Bedrag"),
        "Totaal",
    ),
    "it": Wording(
        {
            "payment_reminder": ("Sollecito di pagamento",),
            "delivery_note": ("Documento di trasporto", "DDT n. {ref}"),
            "order_confirmation": ("Conferma d'ordine",),
            "quote": ("Preventivo", "Preventivo n. {ref}"),
            "account_statement": ("Estratto conto",),
            "receipt": ("Ricevuta",),
            "not_invoice": ("Invito all'evento clienti",),
        },
        {
            "payment_reminder": ("Dai nostri controlli risulta non pagata la fattura n. {ref} del {date}.",),
            "delivery_note": ("La fattura seguirà a parte.",),
            "order_confirmation": ("Confermiamo il Vostro ordine. La fattura seguirà il {date}.",),
            "quote": ("Offerta valida fino al {date}.",),
            "account_statement": ("Partite aperte al {date}.",),
            "receipt": ("Ricevuto in contanti il {date}.",),
            "not_invoice": ("Iscrizioni entro il {date}.",),
        },
        ("Descrizione", "Q.tà", "Prezzo", "Importo"),
        "Totale",
    ),
    "es": Wording(
        {
            "payment_reminder": ("Recordatorio de pago",),
            "delivery_note": ("Albarán", "Albarán nº {ref}"),
            "order_confirmation": ("Confirmación de pedido",),
            "quote": ("Presupuesto",),
            "account_statement": ("Extracto de cuenta",),
            "receipt": ("Recibo",),
            "not_invoice": ("Invitación a nuestra jornada de clientes",),
        },
        {
            "payment_reminder": ("Le recordamos que la factura {ref} del {date} sigue pendiente de pago.",),
            "delivery_note": ("La factura se enviará por separado.",),
            "order_confirmation": ("Confirmamos su pedido. La factura se emitirá el {date}.",),
            "quote": ("Presupuesto válido hasta el {date}.",),
            "account_statement": ("Partidas abiertas a {date}.",),
            "receipt": ("Recibido en efectivo el {date}.",),
            "not_invoice": ("Inscripción hasta el {date}.",),
        },
        ("Concepto", "Cantidad", "Precio", "Importe"),
        "Total",
    ),
    "pl": Wording(
        {
            "payment_reminder": ("Wezwanie do zapłaty", "Przypomnienie o płatności"),
            "delivery_note": ("WZ - Wydanie zewnętrzne", "Dowód dostawy"),
            "order_confirmation": ("Potwierdzenie zamówienia",),
            "quote": ("Oferta handlowa", "Oferta nr {ref}"),
            "account_statement": ("Wyciąg z konta",),
            "receipt": ("Pokwitowanie",),
            "not_invoice": ("Zaproszenie na dzień klienta",),
        },
        {
            "payment_reminder": ("Przypominamy o nieopłaconej fakturze nr {ref} z dnia {date}.",),
            "delivery_note": ("Fakturę prześlemy osobno.",),
            "order_confirmation": ("Dziękujemy za zamówienie. Fakturę wystawimy {date}.",),
            "quote": ("Oferta ważna do {date}.",),
            "account_statement": ("Saldo na dzień {date}.",),
            "receipt": ("Otrzymano gotówką dnia {date}.",),
            "not_invoice": ("Zgłoszenia do {date}.",),
        },
        ("Nazwa", "Ilość", "Cena", "Wartość"),
        "Razem",
    ),
    "cs": Wording(
        {
            "payment_reminder": ("Upomínka", "Výzva k úhradě"),
            "delivery_note": ("Dodací list",),
            "order_confirmation": ("Potvrzení objednávky",),
            "quote": ("Cenová nabídka",),
            "account_statement": ("Výpis z účtu",),
            "receipt": ("Příjmový pokladní doklad",),
            "not_invoice": ("Pozvánka na den zákazníků",),
        },
        {
            "payment_reminder": (
                "Dovolujeme si upozornit, že faktura č. {ref} ze dne {date} není uhrazena.",
            ),
            "delivery_note": ("Fakturu zašleme zvlášť.",),
            "order_confirmation": ("Děkujeme za objednávku. Fakturu vystavíme {date}.",),
            "quote": ("Nabídka platí do {date}.",),
            "account_statement": ("Stav účtu k {date}.",),
            "receipt": ("Přijato v hotovosti dne {date}.",),
            "not_invoice": ("Přihlášky do {date}.",),
        },
        ("Popis", "Množství", "Cena", "Celkem"),
        "Celkem",
    ),
}
LOCALE_OF = {
    "de": "de",
    "en": "en-GB",
    "fr": "fr",
    "nl": "nl",
    "it": "it",
    "es": "es",
    "pl": "pl",
    "cs": "cs",
}
KINDS = (
    "payment_reminder",
    "delivery_note",
    "order_confirmation",
    "quote",
    "account_statement",
    "receipt",
    "not_invoice",
)
#: Kinds that carry an item table with prices and a total (the hard cases).
PRICED = frozenset({"delivery_note", "order_confirmation", "quote", "receipt"})


@dataclass(frozen=True)
class Sample:
    name: str
    language: str
    document_class: str
    pdf: bytes


def non_invoices(seed: int = 1, *, title_beside: bool = False) -> list[Sample]:
    """Every kind in every language, one each, drawn from `seed`; `title_beside` sets the title on the
    letterhead's line (the text layer then runs the two together)."""
    samples = []
    for index, (language, kind) in enumerate((lang, kind) for lang in WORDING for kind in KINDS):
        rng = random.Random(seed * 1000 + index)
        pdf = draw_document(rng, language, kind, title_beside=title_beside)
        samples.append(Sample(f"{language}-{kind}", language, kind, pdf))
    return samples


def draw_document(rng: random.Random, language: str, kind: str, *, title_beside: bool = False) -> bytes:
    wording, locale = WORDING[language], LOCALES[LOCALE_OF[language]]
    seller, buyer = company(rng, locale), company(rng, locale, with_iban=False)
    ref = f"{rng.randint(2020, 2026)}-{rng.randint(100, 9999)}"
    when = locale.date(date(2025, 1, 1) + timedelta(days=rng.randrange(300)), rng)
    canvas = Canvas(fake_bold=rng.choice((1, 2)))
    canvas.page()
    canvas.text(LEFT if title_beside else RIGHT, 70, seller.name, size=15, bold=True, right=not title_beside)
    canvas.text(LEFT, 135, f"{seller.name} · {seller.street} · {seller.postcode} {seller.city}", size=6.5)
    for i, line in enumerate(buyer.address_lines()):
        canvas.text(LEFT, 160 + i * 12, line, size=10)
    canvas.text(RIGHT, 160, when, size=9, right=True)
    title = rng.choice(wording.titles[kind]).format(ref=ref)
    if title_beside:
        canvas.text(RIGHT, 70, title, size=14, bold=True, right=True, heavy=True)
    else:
        canvas.text(LEFT, 270, title, size=14, bold=True, heavy=True)
    y = 300.0
    for line in wording.bodies[kind]:
        canvas.text(LEFT, y, line.format(ref=ref, date=when), size=9)
        y += 13
    if kind in PRICED:
        y = _items(canvas, rng, locale, wording, y + 14)
    elif kind in ("payment_reminder", "account_statement"):
        y = _open_items(canvas, rng, locale, language, ref, when, y + 14)
    _footer(canvas, seller.name, seller.vat_id, seller.iban)
    return canvas.output()


def _items(canvas: Canvas, rng: random.Random, locale: Locale, wording: Wording, y: float) -> float:
    for x, header in zip((LEFT, 330.0, 420.0, RIGHT), wording.table, strict=True):
        canvas.text(x, y, header, size=9, bold=True, right=x != LEFT)
    total = Decimal(0)
    for _ in range(rng.randint(1, 5)):
        y += 15
        quantity, price = rng.randint(1, 9), Decimal(rng.randint(500, 90000)) / 100
        total += quantity * price
        canvas.text(LEFT, y, rng.choice(locale.items), size=9)
        canvas.text(330, y, str(quantity), size=9, right=True)
        canvas.text(420, y, locale.amount(price), size=9, right=True)
        canvas.text(RIGHT, y, locale.amount(quantity * price), size=9, right=True)
    canvas.text(420, y + 20, wording.total, size=9, bold=True, right=True)
    canvas.text(RIGHT, y + 20, locale.amount(total, symbol=True), size=9, bold=True, right=True)
    return y + 40


#: The open-items table of a reminder or statement names invoices by their labels.
OPEN_ITEM_HEADERS = {
    "de": ("Rechnungsnummer", "Rechnungsdatum", "Betrag"),
    "en": ("Invoice number", "Invoice date", "Amount"),
    "fr": ("N° de facture", "Date de facture", "Montant"),
    "nl": ("Factuurnummer", "Factuurdatum", "Bedrag"),
    "it": ("Numero fattura", "Data fattura", "Importo"),
    "es": ("Nº factura", "Fecha factura", "Importe"),
    "pl": ("Numer faktury", "Data wystawienia", "Kwota"),
    "cs": ("Číslo faktury", "Datum vystavení", "Částka"),
}


def _open_items(
    canvas: Canvas, rng: random.Random, locale: Locale, language: str, ref: str, when: str, y: float
) -> float:
    for x, header in zip((LEFT, 250.0, RIGHT), OPEN_ITEM_HEADERS[language], strict=True):
        canvas.text(x, y, header, size=9, bold=True, right=x == RIGHT)
    for number in (ref, f"{ref}-{rng.randint(1, 9)}"):
        y += 15
        canvas.text(LEFT, y, number, size=9)
        canvas.text(250, y, when, size=9)
        canvas.text(
            RIGHT, y, locale.amount(Decimal(rng.randint(1000, 500000)) / 100, symbol=True), size=9, right=True
        )
    return y + 20


def _footer(canvas: Canvas, name: str, vat_id: str | None, iban: str | None) -> None:
    top = canvas.height - 70
    canvas.line(LEFT, top, RIGHT, top, width=0.3)
    parts = [name, vat_id or "", f"IBAN {printed_iban(iban)}" if iban else ""]
    for i, text in enumerate(parts):
        canvas.text(LEFT + i * 170, top + 12, text, size=6.5)
