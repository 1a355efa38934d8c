"""Step 6, `book`: an account, tax key and balanced entry proposed for every validated invoice.

The step writes nothing: it returns the proposal and its verdict, and the orchestrator posts the proposal
in the transaction that sets the status `booked` (`app.journal.posting.post_booking`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
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
from agents.booking.learned import LineClassifier, line_classifier
from app.config import Settings
from app.db import OwnSession
from app.errors import ConfigurationError
from app.journal.approved import approved_count, approved_lines
from app.journal.posting import vendor_history
from app.journal.rates import invoice_rate
from app.pipeline.state import BookOutput, PipelineState, StepName, StepOutput
from schemas.booking import VendorRef
from schemas.invoice import Invoice

HistoryPort = Callable[[VendorRef], VendorHistory]
#: The imported exchange rate (units per EUR) for a foreign invoice, None for euro or when none is known.
RatePort = Callable[[Invoice], Decimal | None]
#: The learned line classifier as it stands now (None: there is none).
ClassifierPort = Callable[[], LineClassifier | None]
#: Entries a person posts before the learned classifier is trained again.
RETRAIN_AFTER = 20


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


@dataclass(frozen=True)
class BookStep:
    """Propose the booking of a validated invoice and decide whether it is posted without a person.

    Applies when the validation step found the invoice ready.
    """

    name = StepName.BOOK

    policy: BookingPolicy
    history: HistoryPort
    model: AccountModel | None
    rates: RatePort | None = None
    classifier: ClassifierPort | None = None

    def applies(self, state: PipelineState) -> bool:
        validated = state.validation
        return state.invoice is not None and validated is not None and validated.decision.status == "ready"

    def run(self, state: PipelineState) -> StepOutput:
        invoice = state.invoice
        assert invoice is not None  # applies() said so
        policy = replace(self.policy, classifier=self.classifier()) if self.classifier else self.policy
        proposal = propose(
            invoice,
            policy,
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
    """The step as the pipeline runs it: history, rates and the learned classifier's lines from the
    configured database, the shared model."""
    policy = booking_policy(settings)
    return BookStep(
        policy,
        OwnSession(factory, vendor_history),
        model,
        OwnSession(factory, invoice_rate),
        JournalClassifier(policy, factory),
    )


class JournalClassifier:
    """The learned line classifier trained on the shipped labelled lines and the lines a person posted in
    this installation's journal; trained again once `every` more such entries stand (or fewer, after
    reversals), so it gets better with use. Trained on first use, not at start-up."""

    def __init__(
        self, policy: BookingPolicy, factory: sessionmaker[Session], every: int = RETRAIN_AFTER
    ) -> None:
        self.policy = policy
        self.factory = factory
        self.every = every
        self.trained_on = -1
        self.current: LineClassifier | None = None

    def __call__(self) -> LineClassifier | None:
        with self.factory() as session:
            count = approved_count(session)
            if self.trained_on >= 0 and 0 <= count - self.trained_on < self.every:
                return self.current
            lines = approved_lines(session)
        self.current = line_classifier(self.policy.chart, lines)
        self.trained_on = count
        return self.current
