"""How each language prints an invoice: labels, number and date formats, month names, currency, tax rates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Labels:
    title: str
    credit_title: str
    number: str
    date: str
    due: str
    customer: str
    bill_to: str
    description: str
    quantity: str
    unit_price: str
    amount: str
    net: str
    tax: str
    gross: str
    prepaid: str
    due_amount: str
    vat_id: str
    page: str  # "{n}" of "{m}"
    carried: str
    payable: str  # sentence with "{date}"
    thanks: str
    register: str


@dataclass(frozen=True)
class Locale:
    code: str
    country: str
    currency: str
    symbol: str
    symbol_first: bool
    thousands: str
    decimal: str
    #: Date patterns: {d} {dd} {m} {mm} {y} {month}.
    date_formats: tuple[str, ...]
    months: tuple[str, ...]
    tax_rates: tuple[Decimal, ...]
    labels: Labels
    items: tuple[str, ...]
    street_words: tuple[str, ...]
    legal_forms: tuple[str, ...]

    def amount(self, value: Decimal, *, symbol: bool = False) -> str:
        """`value` as this language prints it: 1.234,56 · 1,234.56 · 1 234,56 · 1'234.56."""
        sign = "-" if value < 0 else ""
        whole, cents = f"{abs(value):.2f}".split(".")
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        text = f"{sign}{self.thousands.join(groups)}{self.decimal}{cents}"
        if not symbol:
            return text
        return (
            f"{self.symbol} {text}".replace("$ ", "$").replace("£ ", "£")
            if self.symbol_first
            else f"{text} {self.symbol}"
        )

    def quantity(self, value: Decimal) -> str:
        if value == value.to_integral_value():
            return str(int(value))
        return f"{value:.2f}".replace(".", self.decimal)

    def date(self, value: date, rng: random.Random) -> str:
        pattern = rng.choice(self.date_formats)
        return pattern.format(
            d=value.day,
            dd=f"{value.day:02d}",
            m=value.month,
            mm=f"{value.month:02d}",
            y=value.year,
            month=self.months[value.month - 1],
        )


MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DE_LABELS = Labels(
    "Rechnung",
    "Gutschrift",
    "Rechnungsnummer",
    "Rechnungsdatum",
    "Fällig am",
    "Kundennummer",
    "Rechnungsempfänger",
    "Beschreibung",
    "Menge",
    "Einzelpreis",
    "Betrag",
    "Nettobetrag",
    "USt.",
    "Gesamtbetrag",
    "Anzahlung",
    "Zahlbetrag",
    "USt-IdNr.",
    "Seite {n} von {m}",
    "Übertrag",
    "Zahlbar bis {date} ohne Abzug.",
    "Vielen Dank für Ihren Auftrag.",
    "Amtsgericht {city} HRB {n}",
)
LOCALES: dict[str, Locale] = {
    "de": Locale(
        "de",
        "DE",
        "EUR",
        "€",
        False,
        ".",
        ",",
        ("{dd}.{mm}.{y}", "{d}. {month} {y}"),
        MONTHS_DE,
        (Decimal(19), Decimal(7)),
        DE_LABELS,
        (
            "Beratung",
            "Wartungsvertrag",
            "Druckerpapier A4",
            "Montage vor Ort",
            "Softwarelizenz",
            "Fahrtkosten",
            "Schulung Mitarbeiter",
            "Bürostuhl Ergo",
            "Reinigung Büroräume",
            "Versandkosten",
        ),
        ("straße", "weg", "allee", "platz"),
        ("GmbH", "AG", "KG", "e.K.", "GmbH & Co. KG"),
    ),
    "de-CH": Locale(
        "de-CH",
        "CH",
        "CHF",
        "CHF",
        True,
        "'",
        ".",
        ("{dd}.{mm}.{y}",),
        MONTHS_DE,
        (Decimal("8.1"),),
        DE_LABELS,
        ("Beratung", "Gartenpflege", "Servicepauschale", "Ersatzteile", "Arbeitsstunden"),
        ("strasse", "gasse", "weg"),
        ("AG", "GmbH"),
    ),
    "en-US": Locale(
        "en-US",
        "US",
        "USD",
        "$",
        True,
        ",",
        ".",
        ("{mm}/{dd}/{y}", "{month} {d}, {y}"),
        MONTHS_EN,
        (Decimal("7.25"), Decimal(0)),
        Labels(
            "INVOICE",
            "CREDIT NOTE",
            "Invoice #",
            "Invoice Date",
            "Due Date",
            "Customer ID",
            "Bill To",
            "Description",
            "Qty",
            "Unit Price",
            "Amount",
            "Subtotal",
            "Sales Tax",
            "Total",
            "Payments/Credits",
            "Balance Due",
            "VAT ID",
            "Page {n} of {m}",
            "Carried forward",
            "Payment due by {date}.",
            "Thank you for your business!",
            "Registered in {city}, No. {n}",
        ),
        (
            "Web hosting",
            "Consulting hours",
            "Annual support plan",
            "Office chairs",
            "Shipping",
            "Setup fee",
            "Cloud storage 1 TB",
            "Design work",
        ),
        ("Street", "Avenue", "Road", "Boulevard"),
        ("Inc.", "LLC", "Corp."),
    ),
    "en-GB": Locale(
        "en-GB",
        "GB",
        "GBP",
        "£",
        True,
        ",",
        ".",
        ("{dd}/{mm}/{y}", "{d} {month} {y}"),
        MONTHS_EN,
        (Decimal(20),),
        Labels(
            "Tax Invoice",
            "Credit Note",
            "Invoice No.",
            "Invoice date",
            "Payment due",
            "Account no.",
            "Invoice to",
            "Description",
            "Quantity",
            "Unit price",
            "Net amount",
            "Net total",
            "VAT",
            "Total",
            "Paid on account",
            "Amount due",
            "VAT Reg. No.",
            "Page {n} of {m}",
            "Carried forward",
            "Please pay by {date}.",
            "Thank you for your custom.",
            "Registered in England No. {n}",
        ),
        (
            "Consultancy",
            "Maintenance contract",
            "Printer toner",
            "Delivery charge",
            "Training day",
            "Licence renewal",
        ),
        ("Road", "Lane", "Street", "Close"),
        ("Ltd", "Limited", "LLP"),
    ),
    "fr": Locale(
        "fr",
        "FR",
        "EUR",
        "€",
        False,
        " ",
        ",",
        ("{dd}/{mm}/{y}", "{d} {month} {y}"),
        (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        (Decimal(20), Decimal("5.5")),
        Labels(
            "Facture",
            "Avoir",
            "N° de facture",
            "Date de facture",
            "Échéance",
            "N° client",
            "Facturé à",
            "Désignation",
            "Qté",
            "Prix unitaire HT",
            "Montant HT",
            "Total HT",
            "TVA",
            "Total TTC",
            "Acompte versé",
            "Net à payer",
            "N° TVA intracom.",
            "Page {n} sur {m}",
            "Report",
            "À régler avant le {date}.",
            "Merci de votre confiance.",
            "RCS {city} {n}",
        ),
        (
            "Prestation de conseil",
            "Maintenance annuelle",
            "Papier A4",
            "Frais de port",
            "Formation",
            "Installation sur site",
        ),
        ("rue", "avenue", "boulevard", "chemin"),
        ("SARL", "SAS", "SA", "EURL"),
    ),
    "nl": Locale(
        "nl",
        "NL",
        "EUR",
        "€",
        True,
        ".",
        ",",
        ("{dd}-{mm}-{y}", "{d} {month} {y}"),
        (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
        (Decimal(21), Decimal(9)),
        Labels(
            "Factuur",
            "Creditnota",
            "Factuurnummer",
            "Factuurdatum",
            "Vervaldatum",
            "Klantnummer",
            "Factuuradres",
            "Omschrijving",
            "Aantal",
            "Prijs",
            "Bedrag",
            "Subtotaal",
            "BTW",
            "Totaal",
            "Reeds betaald",
            "Te betalen",
            "BTW-nummer",
            "Pagina {n} van {m}",
            "Transport",
            "Gelieve te betalen voor {date}.",
            "Bedankt voor uw opdracht.",
            "KvK {n}",
        ),
        ("Advieswerk", "Onderhoud", "Kantoorpapier", "Verzendkosten", "Training", "Licentie"),
        ("straat", "laan", "weg", "plein"),
        ("B.V.", "V.O.F."),
    ),
    "it": Locale(
        "it",
        "IT",
        "EUR",
        "€",
        True,
        ".",
        ",",
        ("{dd}/{mm}/{y}", "{d} {month} {y}"),
        (
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ),
        (Decimal(22), Decimal(10)),
        Labels(
            "Fattura",
            "Nota di credito",
            "Numero fattura",
            "Data fattura",
            "Scadenza",
            "Codice cliente",
            "Destinatario",
            "Descrizione",
            "Quantità",
            "Prezzo unitario",
            "Importo",
            "Imponibile",
            "IVA",
            "Totale documento",
            "Acconto",
            "Netto a pagare",
            "P.IVA",
            "Pagina {n} di {m}",
            "Riporto",
            "Pagamento entro il {date}.",
            "Grazie per la fiducia.",
            "REA {city} {n}",
        ),
        ("Consulenza", "Manutenzione", "Carta A4", "Spese di trasporto", "Formazione", "Licenza software"),
        ("Via", "Viale", "Corso", "Piazza"),
        ("S.r.l.", "S.p.A.", "S.n.c."),
    ),
    "es": Locale(
        "es",
        "ES",
        "EUR",
        "€",
        False,
        ".",
        ",",
        ("{dd}/{mm}/{y}", "{d} de {month} de {y}"),
        (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
        (Decimal(21), Decimal(10)),
        Labels(
            "Factura",
            "Factura rectificativa",
            "Nº factura",
            "Fecha",
            "Vencimiento",
            "Cliente",
            "Facturar a",
            "Concepto",
            "Cantidad",
            "Precio",
            "Importe",
            "Base imponible",
            "IVA",
            "Total",
            "Anticipo",
            "Total a pagar",
            "NIF/CIF",
            "Página {n} de {m}",
            "Suma anterior",
            "Pagar antes del {date}.",
            "Gracias por su confianza.",
            "Registro Mercantil de {city}, hoja {n}",
        ),
        ("Servicios de consultoría", "Mantenimiento", "Papel A4", "Portes", "Formación", "Instalación"),
        ("Calle", "Avenida", "Paseo", "Plaza"),
        ("S.L.", "S.A."),
    ),
    "pl": Locale(
        "pl",
        "PL",
        "PLN",
        "zł",
        False,
        " ",
        ",",
        ("{dd}.{mm}.{y}", "{y}-{mm}-{dd}"),
        (
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ),
        (Decimal(23), Decimal(8)),
        Labels(
            "Faktura VAT",
            "Faktura korygująca",
            "Faktura nr",
            "Data wystawienia",
            "Termin płatności",
            "Nr klienta",
            "Nabywca",
            "Nazwa towaru lub usługi",
            "Ilość",
            "Cena netto",
            "Wartość netto",
            "Razem netto",
            "VAT",
            "Razem brutto",
            "Zaliczka",
            "Do zapłaty",
            "NIP",
            "Strona {n} z {m}",
            "Z przeniesienia",
            "Płatne do {date}.",
            "Dziękujemy za współpracę.",
            "KRS {n}, Sąd Rejonowy {city}",
        ),
        ("Usługa doradcza", "Serwis urządzeń", "Papier ksero", "Transport", "Szkolenie", "Licencja roczna"),
        ("ul.", "al."),
        ("Sp. z o.o.", "S.A.", "Sp.j."),
    ),
    "cs": Locale(
        "cs",
        "CZ",
        "CZK",
        "Kč",
        False,
        " ",
        ",",
        ("{d}. {m}. {y}", "{dd}.{mm}.{y}"),
        (
            "ledna",
            "února",
            "března",
            "dubna",
            "května",
            "června",
            "července",
            "srpna",
            "září",
            "října",
            "listopadu",
            "prosince",
        ),
        (Decimal(21), Decimal(12)),
        Labels(
            "Faktura - daňový doklad",
            "Opravný daňový doklad",
            "Číslo faktury",
            "Datum vystavení",
            "Datum splatnosti",
            "Odběratel č.",
            "Odběratel",
            "Popis",
            "Množství",
            "Cena za MJ",
            "Celkem",
            "Základ daně",
            "DPH",
            "Celkem k úhradě",
            "Zaplacená záloha",
            "Zbývá uhradit",
            "DIČ",
            "Strana {n} z {m}",
            "Převod",
            "Splatné do {date}.",
            "Děkujeme za spolupráci.",
            "Zapsáno v OR u KS v {city}, oddíl C, vložka {n}",
        ),
        ("Konzultace", "Servis tiskárny", "Kancelářský papír", "Doprava", "Školení", "Licence"),
        ("ulice", "náměstí", "třída"),
        ("s.r.o.", "a.s."),
    ),
}
