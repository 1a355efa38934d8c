"""Several invoices of one synthetic vendor: one seller, locale, layout and font (its template), and per
invoice another buyer, other items, number, dates and amounts. The learning curve's series."""

from __future__ import annotations

import dataclasses

from bench.synth.invoice import SynthInvoice, draw

#: Seeds of vendor v's invoices start at `FIRST_SEED + v * SERIES`: far above the seeds that
#: `python -m bench.synth` draws training data from, so a trained scorer never saw these invoices.
FIRST_SEED = 900_000
SERIES = 1000


def vendor_invoices(vendor: int, count: int, *, locale: str | None = None) -> list[SynthInvoice]:
    """`count` different invoices (never credit notes) from vendor number `vendor`."""
    first = FIRST_SEED + vendor * SERIES
    template = draw(first, locale=locale)
    invoices = []
    for number in range(1, count + 1):
        drawn = draw(first + number, locale=template.locale.code, layout=template.layout)
        invoices.append(
            dataclasses.replace(
                drawn,
                seller=template.seller,
                font=template.font,
                size=template.size,
                fake_bold=template.fake_bold,
                credit_note=False,
                printed={},
            )
        )
    return invoices
