"""Small made-up invoices for the scorer's unit tests: one template, values drawn from a seeded generator.

The values are invented here (no corpus value), and the template varies where the label stands (same
line, beside, above) so the features have something to tell apart.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from schemas.document import ReadResult
from tests.agents.extraction.factories import make_read

_SELLERS = ("Nordlicht Handel GmbH", "Atelier Berger SARL", "Westmoor Supplies Ltd", "Kanal Werke AG")
_BUYERS = ("Kunde Eins KG", "Client Deux SAS", "Buyer Three Inc", "Abnehmer Vier GmbH")


def document(seed: int) -> tuple[ReadResult, dict[str, Any]]:
    rng = random.Random(seed)
    seller, buyer = rng.choice(_SELLERS), rng.choice(_BUYERS)
    number = f"{rng.choice(('RE', 'INV', 'F'))}-{rng.randint(1000, 99999)}"
    issued = date(2024, 1, 1) + timedelta(days=rng.randint(0, 300))
    due = issued + timedelta(days=rng.choice((14, 30)))
    order = f"PO-{rng.randint(100, 999)}"
    head = f"{seller}\nMusterweg {rng.randint(1, 99)}\n{rng.randint(10000, 99999)} Stadt\n"
    if seed % 2:
        meta = f"Rechnungsnummer | {number}\nRechnungsdatum | {issued:%d.%m.%Y}\nBestellung | {order}\n"
    else:
        meta = f"Invoice No: {number}\nDate: {issued:%d.%m.%Y}\nOrder: {order}\n"
    text = (
        f"{head}\nRechnungsempfänger\n{buyer}\nKundenweg 5\n12345 Ort\n\n{meta}"
        f"Lieferdatum {issued - timedelta(days=3):%d.%m.%Y}\n"
        f"Netto | 100,00\nUSt 19% | 19,00\nBrutto | 119,00\nZahlbar bis {due:%d.%m.%Y}\n"
    )
    truth = {
        "invoice_number": number,
        "issue_date": issued.isoformat(),
        "due_date": due.isoformat(),
        "seller_name": seller,
        "buyer_name": buyer,
        "gross_total": "119.00",
    }
    return make_read(text), truth
