"""One DATEV batch header and one booking row, for the writer's tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from agents.booking.datev import BatchHeader, Booking

#: A March 2026 batch of a client whose fiscal year is the calendar year, SKR03.
MARCH_2026 = BatchHeader(
    created_at=datetime(2026, 4, 2, 9, 30, 15, 123000),
    consultant_number=29098,
    client_number=55003,
    fiscal_year_start=date(2026, 1, 1),
    account_length=4,
    date_from=date(2026, 3, 1),
    date_to=date(2026, 3, 31),
    chart="03",
)


def booking(**changes: Any) -> Booking:
    """An office-supplies invoice of 1190.00 on creditor 70001, with `changes`."""
    fields: dict[str, Any] = {
        "amount": Decimal("1190.00"),
        "side": "H",
        "account": "70001",
        "contra_account": "4930",
        "tax_key": "9",
        "document_date": date(2026, 3, 15),
        "document_number": "RE-2026/0815",
        "text": 'Bürobedarf Müller & Söhne "Nord" RE-2026/0815',
    }
    return Booking(**{**fields, **changes})
