"""Step 6, `book`: an account, tax key and balanced entry proposed for every validated invoice.

The step writes nothing: it returns the proposal and its verdict, and the orchestrator posts the proposal
in the transaction that sets the status `booked` (`app.journal.posting.post_booking`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from agents.booking import (
    AccountModel,
    BookingPolicy,
    VendorHistory,
    decision,
    load_chart,
    propose,
    vendor_of,
)
from agents.booking.accounts import bookable
from agents.booking.errors import BookingError
from app.config import Settings
from app.db import OwnSession
from app.errors import ConfigurationError
from app.journal.posting import vendor_history
from app.journal.rates import invoice_rate
from app.pipeline.state import BookOutput, PipelineState, StepName, StepOutput
from schemas.booking import VendorRef
from schemas.invoice import Invoice

HistoryPort = Callable[[VendorRef], VendorHistory]
#: The imported exchange rate (units per EUR) for a foreign invoice, None for euro or when none is known.
RatePort = Callable[[Invoice], Decimal | None]


def booking_policy(settings: Settings) -> BookingPolicy:
    """The chart, default account and threshold the settings name; refuses inconsistent settings."""
    booking = settings.booking
    chart = load_chart(booking.chart, booking.chart_csv)
    if chart.account_length != booking.datev.account_length:
        raise ConfigurationError(
            f"chart {chart.name} has {chart.account_length}-digit accounts, "
            f"KONTOR_BOOKING__DATEV__ACCOUNT_LENGTH says {booking.datev.account_length}"
        )
    try:
        default = bookable(chart, booking.default_account) if booking.default_account else chart.default
    except BookingError as exc:
        raise ConfigurationError(f"KONTOR_BOOKING__DEFAULT_ACCOUNT: {exc.message}") from exc
    return BookingPolicy(
        chart=chart,
        default_account=default,
        threshold=booking.confidence_threshold,
        low_value_assets=booking.low_value_assets,
    )


class BookStep:
    """Propose the booking of a validated invoice and decide whether it is posted without a person.

    Applies when the validation step found the invoice ready.
    """

    name = StepName.BOOK

    def __init__(
        self,
        policy: BookingPolicy,
        history: HistoryPort,
        model: AccountModel | None,
        rates: RatePort | None = None,
    ) -> None:
        self.policy = policy
        self.history = history
        self.model = model
        self.rates = rates

    def applies(self, state: PipelineState) -> bool:
        validated = state.validation
        return state.invoice is not None and validated is not None and validated.decision.status == "ready"

    def run(self, state: PipelineState) -> StepOutput:
        invoice = state.invoice
        assert invoice is not None  # applies() said so
        proposal = propose(
            invoice,
            self.policy,
            history=self.history(vendor_of(invoice)),
            model=self.model,
            exchange_rate=self.rates(invoice) if self.rates else None,
        )
        return StepOutput(
            data=BookOutput(proposal=proposal, decision=decision(proposal)), findings=proposal.problems
        )


def build_book_step(
    settings: Settings, model: AccountModel | None, factory: sessionmaker[Session]
) -> BookStep:
    """The step as the pipeline runs it: history and rates from the configured database, the shared model."""
    return BookStep(
        booking_policy(settings),
        OwnSession(factory, vendor_history),
        model,
        OwnSession(factory, invoice_rate),
    )
