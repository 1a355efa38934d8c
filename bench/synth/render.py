"""Draw a `SynthInvoice` in one of four layouts, recording the printed form of every truth value.

din5008: sender line over the address window, info block to the right, title under the window.
us: seller top left, a big title top right, "Bill To", a totals block with payments and balance.
boxed: parties in two boxes, a ruled item table, totals in a box.
multipage: DIN style with a long item table over pages: repeated headers, carried-forward sums.
"""

from __future__ import annotations

import random
from decimal import Decimal

from bench.synth.canvas import Canvas
from bench.synth.invoice import Line, SynthInvoice
from bench.synth.parties import printed_iban

LEFT, RIGHT = 57.0, 538.0
ROWS_PER_PAGE = 22


def render(invoice: SynthInvoice) -> bytes:
    """The invoice as a PDF; fills `invoice.printed` with the strings drawn for truth values."""
    rng = random.Random(invoice.seed * 7919 + 1)
    canvas = Canvas(letter=invoice.locale.country == "US", family=invoice.font, fake_bold=invoice.fake_bold)
    _remember_dates(invoice, rng)
    pages = _pages(invoice)
    for number, rows in enumerate(pages, start=1):
        canvas.page()
        y = _header(canvas, invoice) if number == 1 else _continued_header(canvas, invoice)
        carried = sum((line.net_amount for page in pages[: number - 1] for line in page), Decimal(0))
        y = _table(canvas, invoice, rows, y, carried if number > 1 else None)
        if number < len(pages):
            _carry(canvas, invoice, y, carried + sum((line.net_amount for line in rows), Decimal(0)))
        else:
            y = _totals(canvas, invoice, y + 10)
            _payment(canvas, invoice, y + 18)
        _footer(canvas, invoice, number, len(pages))
    return canvas.output()


def _remember_dates(invoice: SynthInvoice, rng: random.Random) -> None:
    invoice.printed["issue_date"] = invoice.locale.date(invoice.issue_date, rng)
    if invoice.due_date:
        invoice.printed["due_date"] = invoice.locale.date(invoice.due_date, rng)


def _pages(invoice: SynthInvoice) -> list[list[Line]]:
    lines = invoice.lines
    if invoice.layout != "multipage":
        return [lines]
    return [lines[i : i + ROWS_PER_PAGE] for i in range(0, len(lines), ROWS_PER_PAGE)]


def _title(invoice: SynthInvoice) -> str:
    labels = invoice.locale.labels
    return labels.credit_title if invoice.credit_note else labels.title


def _info_rows(invoice: SynthInvoice) -> list[tuple[str, str]]:
    labels, printed = invoice.locale.labels, invoice.printed
    printed["invoice_number"] = invoice.number
    rows = [(labels.number, invoice.number), (labels.date, printed["issue_date"])]
    rows.append((labels.customer, str(invoice.seed % 90000 + 10000)))
    if "due_date" in printed:
        rows.append((labels.due, printed["due_date"]))
    return rows


def _header(canvas: Canvas, invoice: SynthInvoice) -> float:
    if invoice.layout == "us":
        return _header_us(canvas, invoice)
    if invoice.layout == "boxed":
        return _header_boxed(canvas, invoice)
    return _header_din(canvas, invoice)


def _header_din(canvas: Canvas, invoice: SynthInvoice) -> float:
    seller, buyer, size = invoice.seller, invoice.buyer, invoice.size
    canvas.text(RIGHT, 70, seller.name.upper(), size=16, bold=True, right=True, heavy=True)  # logo as text
    canvas.text(LEFT, 135, f"{seller.name} · {seller.street} · {seller.postcode} {seller.city}", size=6.5)
    canvas.line(LEFT, 138, LEFT + 240, 138, width=0.3)
    for i, text in enumerate(buyer.address_lines()):
        canvas.text(LEFT, 160 + i * (size + 3), text, size=size + 1)
    for i, (label, value) in enumerate(_info_rows(invoice)):
        canvas.text(330, 150 + i * (size + 4), f"{label}:", size=size)
        canvas.text(RIGHT, 150 + i * (size + 4), value, size=size, right=True)
    canvas.text(LEFT, 270, _title(invoice), size=15, bold=True, heavy=True)
    _remember_parties(invoice)
    return 300.0


def _header_us(canvas: Canvas, invoice: SynthInvoice) -> float:
    seller, buyer, size, labels = invoice.seller, invoice.buyer, invoice.size, invoice.locale.labels
    canvas.text(LEFT, 70, seller.name, size=15, bold=True, heavy=True)
    for i, text in enumerate([seller.street, f"{seller.city}, {seller.postcode}", seller.phone]):
        canvas.text(LEFT, 88 + i * (size + 3), text, size=size)
    canvas.text(RIGHT, 70, _title(invoice), size=22, bold=True, right=True, heavy=True)
    for i, (label, value) in enumerate(_info_rows(invoice)):
        canvas.text(330, 100 + i * (size + 4), label, size=size, bold=True)
        canvas.text(RIGHT, 100 + i * (size + 4), value, size=size, right=True)
    canvas.text(LEFT, 175, labels.bill_to, size=size, bold=True)
    for i, text in enumerate(buyer.address_lines()):
        canvas.text(LEFT, 190 + i * (size + 3), text, size=size)
    _remember_parties(invoice)
    return 260.0


def _header_boxed(canvas: Canvas, invoice: SynthInvoice) -> float:
    seller, buyer, size, labels = invoice.seller, invoice.buyer, invoice.size, invoice.locale.labels
    canvas.box(LEFT, 40, RIGHT - LEFT, 36, fill=230)
    canvas.text(LEFT + 10, 64, f"{_title(invoice)} {invoice.number}", size=16, bold=True, heavy=True)
    half = (RIGHT - LEFT) / 2
    canvas.box(LEFT, 90, half - 6, 80)
    canvas.box(LEFT + half + 6, 90, half - 6, 80)
    seller_lines = [seller.name, seller.street, f"{seller.postcode} {seller.city}", seller.phone]
    for i, text in enumerate(seller_lines):
        canvas.text(LEFT + 8, 106 + i * (size + 4), text, size=size, bold=i == 0)
    canvas.text(LEFT + half + 14, 104, labels.bill_to, size=size - 1, bold=True)
    for i, text in enumerate(buyer.address_lines()):
        canvas.text(LEFT + half + 14, 118 + i * (size + 4), text, size=size)
    rows = _info_rows(invoice)
    for i, (label, value) in enumerate(rows):
        x = LEFT + i * (RIGHT - LEFT) / len(rows)
        canvas.text(x + 4, 192, label, size=size - 1.5, bold=True)
        canvas.text(x + 4, 206, value, size=size)
    canvas.line(LEFT, 212, RIGHT, 212)
    _remember_parties(invoice)
    return 232.0


def _continued_header(canvas: Canvas, invoice: SynthInvoice) -> float:
    labels = invoice.locale.labels
    canvas.text(LEFT, 60, invoice.seller.name, size=10, bold=True)
    canvas.text(RIGHT, 60, f"{_title(invoice)} {labels.number} {invoice.number}", size=9, right=True)
    return 90.0


def _remember_parties(invoice: SynthInvoice) -> None:
    invoice.printed["seller_name"] = invoice.seller.name
    invoice.printed["buyer_name"] = invoice.buyer.name


COLUMNS = (LEFT, 330.0, 420.0, RIGHT)  # description (left edge), then right edges of qty, price, amount


def _table(
    canvas: Canvas, invoice: SynthInvoice, rows: list[Line], y: float, carried: Decimal | None
) -> float:
    labels, locale, size = invoice.locale.labels, invoice.locale, invoice.size
    ruled = invoice.layout == "boxed"
    headers = (labels.description, labels.quantity, labels.unit_price, labels.amount)
    if ruled:
        canvas.box(LEFT, y - size - 4, RIGHT - LEFT, size + 8, fill=235)
    canvas.text(COLUMNS[0] + 2, y, headers[0], size=size, bold=True)
    for x, header in zip(COLUMNS[1:], headers[1:], strict=True):
        canvas.text(x, y, header, size=size, bold=True, right=True)
    canvas.line(LEFT, y + 5, RIGHT, y + 5)
    y += size + 10
    if carried is not None:
        canvas.text(COLUMNS[0] + 2, y, labels.carried, size=size)
        canvas.text(RIGHT, y, locale.amount(carried), size=size, right=True)
        y += size + 6
    for line in rows:
        canvas.text(COLUMNS[0] + 2, y, line.description, size=size)
        canvas.text(COLUMNS[1], y, locale.quantity(line.quantity), size=size, right=True)
        canvas.text(COLUMNS[2], y, locale.amount(line.unit_price), size=size, right=True)
        canvas.text(COLUMNS[3], y, locale.amount(line.net_amount), size=size, right=True)
        if ruled:
            canvas.line(LEFT, y + 4, RIGHT, y + 4, width=0.2)
        y += size + 6
    canvas.line(LEFT, y - size + 2, RIGHT, y - size + 2)
    return y


def _carry(canvas: Canvas, invoice: SynthInvoice, y: float, subtotal: Decimal) -> None:
    size = invoice.size
    canvas.text(COLUMNS[2], y + 4, invoice.locale.labels.carried, size=size, bold=True, right=True)
    canvas.text(RIGHT, y + 4, invoice.locale.amount(subtotal), size=size, bold=True, right=True)


def _totals(canvas: Canvas, invoice: SynthInvoice, y: float) -> float:
    labels, locale, size, printed = invoice.locale.labels, invoice.locale, invoice.size, invoice.printed
    printed["net_total"] = locale.amount(invoice.net_total)
    printed["tax_total"] = locale.amount(invoice.tax_total)
    printed["gross_total"] = locale.amount(invoice.gross_total, symbol=True)
    rows: list[tuple[str, str, bool]] = [(labels.net, printed["net_total"], False)]
    breakdown = invoice.tax_by_rate()
    for rate, (_, tax) in sorted(breakdown.items(), reverse=True):
        text = locale.amount(tax)
        rows.append((f"{labels.tax} {_percent(rate, invoice)} %", text, False))
    if len(breakdown) > 1:
        rows.append((labels.tax, printed["tax_total"], False))
    rows.append((labels.gross, printed["gross_total"], True))
    if invoice.prepaid:
        printed["amount_due"] = locale.amount(invoice.amount_due, symbol=True)
        rows.append((labels.prepaid, locale.amount(-invoice.prepaid), False))
        rows.append((labels.due_amount, printed["amount_due"], True))
    top = y
    for label, value, strong in rows:
        y += size + 6
        canvas.text(330, y, label, size=size, bold=strong)
        canvas.text(RIGHT - 4, y, value, size=size, bold=strong, right=True, heavy=strong)
    if invoice.layout in ("boxed", "us"):
        canvas.box(322, top + 2, RIGHT - 318, y - top + 6)
    return y


def _percent(rate: Decimal, invoice: SynthInvoice) -> str:
    text = f"{rate.normalize():f}"
    return text.replace(".", invoice.locale.decimal)


def _payment(canvas: Canvas, invoice: SynthInvoice, y: float) -> None:
    labels, size = invoice.locale.labels, invoice.size
    if "due_date" in invoice.printed:
        canvas.text(LEFT, y, labels.payable.format(date=invoice.printed["due_date"]), size=size)
    if invoice.seller.iban and not invoice.credit_note:
        invoice.printed["iban"] = printed_iban(invoice.seller.iban)
        canvas.text(LEFT, y + size + 5, f"IBAN: {invoice.printed['iban']}", size=size)
    canvas.text(LEFT, y + 2 * (size + 5), labels.thanks, size=size)


def _footer(canvas: Canvas, invoice: SynthInvoice, number: int, count: int) -> None:
    seller, labels = invoice.seller, invoice.locale.labels
    top = canvas.height - 70
    canvas.line(LEFT, top, RIGHT, top, width=0.3)
    columns = [
        [seller.name, seller.street, f"{seller.postcode} {seller.city}"],
        [labels.register.format(city=seller.city, n=invoice.seed % 90000 + 1000)],
        [],
    ]
    if seller.vat_id:
        columns[1].append(f"{labels.vat_id} {seller.vat_id}")
        invoice.printed["seller_vat_id"] = seller.vat_id
    if seller.iban:
        columns[2] += [f"IBAN {printed_iban(seller.iban)}", f"BIC {seller.name[:4].upper()}XXX"]
    for i, lines in enumerate(columns):
        for j, text in enumerate(lines):
            canvas.text(LEFT + i * 170, top + 12 + j * 9, text, size=6.5)
    canvas.text(RIGHT, canvas.height - 20, labels.page.format(n=number, m=count), size=7, right=True)
