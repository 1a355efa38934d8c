"""Totals on real layouts (issue #11): the failure classes of the real set, each on a small page of its own.

The values below are made up for each page; none is taken from a corpus truth file.
"""

from __future__ import annotations

from decimal import Decimal

from agents.extraction.agent import ExtractionAgent
from agents.extraction.breakdown import vat_rows
from agents.extraction.layout import build_layout
from agents.extraction.numbers import find_amounts, parse_amount
from schemas.document import Page, ReadResult, Word
from schemas.invoice import Invoice
from tests.agents.extraction.factories import make_read


def _extract(*pages: str) -> Invoice:
    return ExtractionAgent(None, scorer=None).extract(make_read(*pages)).invoice


def _totals(invoice: Invoice) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    return invoice.net_total, invoice.tax_total, invoice.gross_total


def _placed(rows: list[list[tuple[float, str]]]) -> ReadResult:
    """A page whose cells start at the given x (points), one row per line: columns line up as printed."""
    words: list[Word] = []
    for row, cells in enumerate(rows):
        top = 40.0 + row * 14.0
        for x, cell in cells:
            for token in cell.split():
                words.append(Word(text=token, x0=x, top=top, x1=x + 5.0 * len(token), bottom=top + 10.0))
                x += 5.0 * (len(token) + 1)
    text = "\n".join(" ".join(c for _, c in cells) for cells in rows)
    return ReadResult(
        kind="pdf", page_count=1, pages=[Page(number=1, width=595.0, height=842.0, text=text, words=words)]
    )


def test_a_column_tables_sum_row_gives_the_totals_not_its_first_item() -> None:
    # Net, VAT and gross columns, summed in a row that opens with "Razem:": the first row is an item.
    columns = (40.0, 200.0, 300.0, 400.0)
    rows = [
        ["Towar", "Wartość netto", "Kwota VAT", "Wartość brutto"],
        ["Ser", "10,00", "2,30", "12,30"],
        ["Mleko", "20,00", "4,60", "24,60"],
        ["Razem:", "30,00", "6,90", "36,90"],
    ]
    read = _placed(
        [[(40.0, "Faktura VAT nr 77/2024"), (300.0, "Data wystawienia: 2024-03-05")]]
        + [list(zip(columns, row, strict=True)) for row in rows]
    )
    invoice = ExtractionAgent(None, scorer=None).extract(read).invoice
    assert _totals(invoice) == (Decimal("30.00"), Decimal("6.90"), Decimal("36.90"))


def test_a_lone_currency_sign_between_label_and_amount_is_skipped() -> None:
    invoice = _extract(
        """
Invoice # 42 | Invoice Date: 01/02/2020
Item | Price
Widget | $ | 310.00
TOTAL | $ | 310.00
"""
    )
    assert invoice.gross_total == Decimal("310.00")


def test_a_text_layer_that_spaced_the_thousands_mark_still_reads_the_amount() -> None:
    # "4 .500,00": the glyphs were placed apart, so the text layer has a space before the mark.
    assert parse_amount("4 .500,00") == Decimal("4500.00")
    assert [m.value for m in find_amounts("TOTAL $ 1 .250,00")] == [Decimal("1250.00")]
    # Without cents a spaced mark joins nothing: "5 .500" stays two numbers, never 5500.
    assert Decimal("5500") not in [m.value for m in find_amounts("Pos 5 .500 Stk")]


def test_a_quantity_priced_in_dollars_is_no_vat_rate() -> None:
    # "3 $ | 300,00 $ | 9,00": 3 % of 300 is 9, but "3 $" is an amount, not a rate.
    layout = build_layout(make_read("Widget | 3 $ | 300,00 $ | 9,00"))
    assert vat_rows(layout) == []
    assert vat_rows(build_layout(make_read("MwSt. 3 % | 300,00 | 9,00"))) != []


def test_an_amount_due_with_no_gross_label_and_no_prepayment_is_the_gross() -> None:
    invoice = _extract(
        """
Invoice Number 7 | Issue Date | March 3, 2024
Item | Amount
Subscription | $25.00
Subtotal | $25.00
Tax Rate | 0%
Amount Due | $25.00
"""
    )
    assert invoice.gross_total == Decimal("25.00")
    assert invoice.tax_total == Decimal("0.00")
    source = invoice.fields["gross_total"]
    assert source.source.startswith("rule:gross=due")
    assert source.bbox is not None


def test_a_printed_gross_under_no_known_label_completes_net_and_tax_anywhere_on_the_page() -> None:
    # Many amounts print before the unlabelled gross: the one that adds up must still be found.
    items = "\n".join(f"Artikel {i} | {i},00 | {i},00" for i in range(1, 12))
    invoice = _extract(
        f"""
Rechnung Nr. 2024-17 | Datum 05.03.2024
{items}
Summe netto | 200,00
MwSt. 19 % | 38,00
Zu überweisen: | 238,00
"""
    )
    assert _totals(invoice) == (Decimal("200.00"), Decimal("38.00"), Decimal("238.00"))
    assert invoice.fields["gross_total"].source.startswith("net+tax=gross")


def test_the_tax_printed_in_a_sum_row_completes_a_labelled_net_and_gross() -> None:
    # The per-rate rows of the item table are not the breakdown; the printed tax that adds up wins.
    invoice = _extract(
        """
Faktura č. 5/2021 | Datum vystavení: 01.04.2021
Položka | Základ | Sazba | DPH
Zboží | 100,00 | 21% | 21,00
Služba | 200,00 | 21% | 42,00
Zboží | 100,00 | 21% | 21,00
Celkem bez DPH | 400,00
DPH | 84,00
Celkem s DPH | 484,00
"""
    )
    assert _totals(invoice) == (Decimal("400.00"), Decimal("84.00"), Decimal("484.00"))


def test_german_end_total_labels() -> None:
    for label in ("Endsumme", "Rechnungstotal"):
        invoice = _extract(
            f"""
Rechnung Nr. 55 | Datum 02.02.2024
Summe Netto | € 100,00
19,00% USt. auf 100,00 € | € 19,00
{label} | € 119,01
"""
        )
        # The printed gross stands even where the page's arithmetic is one cent off.
        assert invoice.gross_total == Decimal("119.01"), label


def test_a_rate_printed_beside_the_tax_alone_gives_the_breakdown_row() -> None:
    # The common German form: net on one line, "zzgl. 19 % MwSt." with the tax on the next.
    invoice = _extract(
        """
Rechnung Nr. 2024-17 | Datum 04.03.2024
Nettobetrag | 187,00 EUR
zzgl. 19 % MwSt. | 35,53 EUR
Gesamtbetrag | 222,53 EUR
"""
    )
    assert _totals(invoice) == (Decimal("187.00"), Decimal("35.53"), Decimal("222.53"))
    [row] = invoice.tax_breakdown
    assert (row.rate, row.taxable_amount, row.tax_amount) == (
        Decimal("19"),
        Decimal("187.00"),
        Decimal("35.53"),
    )


def test_a_printed_percentage_that_does_not_turn_net_into_tax_is_no_rate() -> None:
    # "2 % Skonto" is printed, but 2 % of the net is not the tax: no rate is stated then.
    invoice = _extract(
        """
Rechnung Nr. 2024-18 | Datum 04.03.2024
Nettobetrag | 187,00 EUR
MwSt. | 35,53 EUR
Gesamtbetrag | 222,53 EUR
Bei Zahlung binnen 10 Tagen 2 % Skonto
"""
    )
    assert invoice.tax_total == Decimal("35.53")
    assert invoice.tax_breakdown == []


def test_two_printed_rates_without_their_rows_give_no_single_rate() -> None:
    # 7 % and 19 % both printed, the tax a mix of both: no one rate is the invoice's.
    invoice = _extract(
        """
Rechnung Nr. 2024-19 | Datum 04.03.2024
Buch (7 %) | 100,00 EUR
Kabel (19 %) | 100,00 EUR
Nettobetrag | 200,00 EUR
MwSt. | 26,00 EUR
Gesamtbetrag | 226,00 EUR
"""
    )
    assert invoice.tax_total == Decimal("26.00")
    assert invoice.tax_breakdown == []


def test_a_price_with_cents_is_no_vat_rate_without_its_percent_sign() -> None:
    # 22,99 % of 100,00 would be 22,99: the price itself must not pass for the rate of its own row.
    assert vat_rows(build_layout(make_read("Versand | 100,00 | 22,99"))) == []
    assert vat_rows(build_layout(make_read("MwSt. 19,00 | 100,00 | 19,00"))) != []


def test_item_lines_that_fit_a_rate_are_not_the_breakdown_when_they_miss_the_totals() -> None:
    # Each item line shows rate, net and tax (100,00 x 19 % = 19,00) like a breakdown row; only the
    # row that makes up the totals is the breakdown.
    invoice = _extract(
        """
Rechnung Nr. 2024-20 | Datum 04.03.2024
Artikel | USt % | Netto | USt
Lampe | 19 | 100,00 | 19,00
Tisch | 19 | 200,00 | 38,00
Summe netto | 300,00 EUR
Satz | Netto | USt
19 % | 300,00 | 57,00
Gesamtbetrag | 357,00 EUR
"""
    )
    assert _totals(invoice) == (Decimal("300.00"), Decimal("57.00"), Decimal("357.00"))
    assert [(r.rate, r.taxable_amount, r.tax_amount) for r in invoice.tax_breakdown] == [
        (Decimal("19"), Decimal("300.00"), Decimal("57.00"))
    ]
