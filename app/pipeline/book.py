"""The booking step: an account, tax key and balanced entry proposed for every validated invoice.

The step writes nothing: it stores `{"proposal", "decision"}`, and the orchestrator posts the proposal in
the transaction that sets the status `booked` (`app.posting.post_booking`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from agents.base import Backend
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
from app.db import get_sessionmaker
from app.errors import ConfigurationError
from app.pipeline.steps import StepContext, StepOutput, current_invoice
from app.posting import vendor_history
from app.rates import invoice_rate
from schemas.booking import VendorRef
from schemas.invoice import Invoice

HistoryPort = Callable[[VendorRef], VendorHistory]
#: The imported exchange rate (units per EUR) for a foreign invoice, None for euro or when none is known.
RatePort = Callable[[Invoice], Decimal | None]


class DbVendorHistory:
    """The vendor's standing journal entries, read in a short session of its own."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def __call__(self, vendor: VendorRef) -> VendorHistory:
        with self.factory() as session:
            return vendor_history(session, vendor)


class DbRates:
    """The imported exchange rate for a foreign invoice's date, read in a short session of its own."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def __call__(self, invoice: Invoice) -> Decimal | None:
        with self.factory() as session:
            return invoice_rate(session, invoice)


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

    Applies when the validation step found the invoice ready. Stores the `BookingProposal` as
    `data["proposal"]` and `data["decision"] = {"status": "booked" | "needs_review", "reason"}`.
    """

    name = "book"

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

    def applies(self, ctx: StepContext) -> bool:
        validated = ctx.results.get("validate", {}).get("decision", {})
        return bool(validated.get("status") == "ready")

    def run(self, ctx: StepContext) -> StepOutput:
        invoice = current_invoice(ctx.results)
        if invoice is None:
            return StepOutput(data={"decision": {"status": "needs_review", "reason": "booking.no_invoice"}})
        proposal = propose(
            invoice,
            self.policy,
            history=self.history(vendor_of(invoice)),
            model=self.model,
            exchange_rate=self.rates(invoice) if self.rates else None,
        )
        return StepOutput(
            data={"proposal": proposal.model_dump(mode="json"), "decision": decision(proposal)},
            findings=proposal.problems,
        )


def build_book_step(settings: Settings, backend: Backend | None) -> BookStep:
    """The step as the pipeline runs it: history from the configured database, the shared model."""
    factory = get_sessionmaker(settings.resolved_database_url)
    model = AccountModel(backend) if backend is not None else None
    return BookStep(booking_policy(settings), DbVendorHistory(factory), model, DbRates(factory))
