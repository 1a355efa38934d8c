"""The booking agent: charts of accounts, account proposals, tax keys, balanced entries, DATEV export."""

from agents.booking.accounts import VendorHistory
from agents.booking.chart import Account, Chart, load_chart
from agents.booking.entries import build_postings, check_balanced, reversed_postings
from agents.booking.errors import BookingError, UnbalancedEntryError
from agents.booking.model import AccountModel
from agents.booking.propose import BookingPolicy, decision, propose, vendor_of

__all__ = [
    "Account",
    "AccountModel",
    "BookingError",
    "BookingPolicy",
    "Chart",
    "UnbalancedEntryError",
    "VendorHistory",
    "build_postings",
    "check_balanced",
    "decision",
    "load_chart",
    "propose",
    "reversed_postings",
    "vendor_of",
]
