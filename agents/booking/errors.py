"""Booking errors. All are `KontorError`s, so the API answers them as `{"error", "detail"}`.

KontorError
└── BookingError (409)            the invoice cannot be posted as it stands
    ├── UnbalancedEntryError      debits and credits differ: never stored
    ├── UnknownAccountError (400) not an expense account of the chart
    └── DatevFormatError (400)    a batch DATEV would refuse (dates across fiscal years, huge amounts)
"""

from __future__ import annotations

from agents.errors import KontorError


class BookingError(KontorError, error="booking_refused", status_code=409): ...


class UnbalancedEntryError(BookingError, error="unbalanced_entry"): ...


class UnknownAccountError(BookingError, error="unknown_account", status_code=400): ...


class DatevFormatError(BookingError, error="datev_format", status_code=400): ...
