from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from agents.booking import AccountModel, VendorHistory, decision, propose
from agents.booking.accounts import from_reviewer
from agents.booking.chart import Account
from agents.fake import FakeBackend
from app.errors import ModelError
from schemas.booking import BookingVerdict
from schemas.proposal_caps import HIGHEST_CAP
from tests.booking_factories import make_invoice, skr03_policy


def prefer(name: str) -> FakeBackend:
    """A model that likes the account called `name` whenever the line is in the prompt."""
    return FakeBackend(lambda _context, option: 0.0 if name in option else -9.0)


def test_a_line_naming_one_accounts_keyword_is_booked_there_without_a_person() -> None:
    proposal = propose(make_invoice(), skr03_policy())
    (line,) = proposal.lines
    assert (line.account.account, line.account.source) == ("4930", "keyword")
    assert line.account.reason == "chart keyword: *papier".replace("*", "")
    assert decision(proposal) == BookingVerdict(status="booked", reason="booking.auto")


#: A line that names no keyword and no service: without history it is the goods fallback, for review.
THING = make_invoice(lines=[("Artikel 4711", "100.00", "19", "S")])


def test_the_vendors_history_comes_first() -> None:
    history = VendorHistory(accounts={"4806": 12}, entries=12, confirmed={"4806": 3})
    proposal = propose(THING, skr03_policy(), history=history)
    (line,) = proposal.lines
    assert (line.account.account, line.account.reason, line.account.confidence) == (
        "4806",
        "vendor history: 12 of 12",
        1.0,
    )
    assert decision(proposal).status == "booked"


def test_bookings_count_for_less_while_a_person_has_not_posted_them_a_few_times() -> None:
    for confirmed in ({}, {"4806": 1}):
        once = VendorHistory(accounts={"4806": 1}, entries=1, confirmed=confirmed)
        (line,) = propose(THING, skr03_policy(), history=once).lines
        assert (line.account.account, line.account.confidence) == ("4806", 0.5)  # proposed, not posted
    often = VendorHistory(accounts={"4806": 12}, entries=12)
    (line,) = propose(THING, skr03_policy(), history=often).lines
    assert (line.account.account, round(line.account.confidence, 2)) == ("4806", 0.92)


def test_the_lines_own_keyword_outweighs_the_vendors_usual_account() -> None:
    # The vendor's history is about its invoices; "Kopierpapier" is about this line.
    history = VendorHistory(accounts={"4806": 12}, entries=12, confirmed={"4806": 1})
    proposal = propose(make_invoice(), skr03_policy(), history=history)
    (line,) = proposal.lines
    assert (line.account.account, line.account.source) == ("4930", "keyword")
    assert decision(proposal).status == "booked"


def test_a_keyword_against_a_settled_account_goes_to_a_person() -> None:
    history = VendorHistory(accounts={"4806": 12}, entries=12, confirmed={"4806": 3})
    proposal = propose(make_invoice(), skr03_policy(), history=history)
    (line,) = proposal.lines
    assert line.account.account == "4930"
    assert line.account.confidence < 0.8
    assert "usually 4806" in line.account.reason
    assert decision(proposal) == BookingVerdict(status="needs_review", reason="booking.low_confidence")


def test_the_history_never_proposes_a_fixed_asset_account() -> None:
    # Only the § 6 (2) EStG rule books to a fixed asset, by the line's price per unit.
    history = VendorHistory(accounts={"0410": 5}, entries=5, confirmed={"0410": 5})
    (line,) = propose(THING, skr03_policy(), history=history).lines
    assert line.account.account == "3200"


def test_a_divided_history_is_not_sure_enough_and_a_surer_source_wins() -> None:
    history = VendorHistory(accounts={"4806": 3, "4964": 2}, entries=5)
    (line,) = propose(make_invoice(), skr03_policy(), history=history).lines
    assert line.account.source == "keyword"


def test_a_history_account_missing_from_the_chart_is_ignored() -> None:
    history = VendorHistory(accounts={"9999": 4}, entries=4)
    (line,) = propose(make_invoice(), skr03_policy(), history=history).lines
    assert line.account.account == "4930"


def test_the_model_chooses_among_the_chart_when_no_keyword_matches() -> None:
    invoice = make_invoice(lines=[("Schweinesteak 2 kg", "20.00", "7", "S")])
    model = AccountModel(prefer("Wareneingang"))
    proposal = propose(invoice, skr03_policy(), model=model)
    (line,) = proposal.lines
    assert (line.account.account, line.account.source, line.account.reason) == ("3200", "model", "model")
    assert line.account.confidence > 0.8


def test_an_unsure_model_leaves_the_default_and_sends_the_invoice_to_a_person() -> None:
    invoice = make_invoice(lines=[("Artikel 4711", "20.00", "19", "S")])
    proposal = propose(invoice, skr03_policy(), model=AccountModel(FakeBackend()))
    (line,) = proposal.lines
    assert line.account.confidence < 0.8
    assert decision(proposal) == BookingVerdict(status="needs_review", reason="booking.low_confidence")


def test_the_model_among_several_matched_keywords_proposes_but_never_posts() -> None:
    invoice = make_invoice(lines=[("Porto + Versandkosten", "20.00", "19", "S")])  # postage and freight
    proposal = propose(invoice, skr03_policy(), model=AccountModel(prefer("Fracht")))
    (line,) = proposal.lines
    assert (line.account.account, line.account.source) == ("3800", "model")
    assert line.account.reason.startswith("model among keywords")
    assert line.account.confidence < 0.8
    assert decision(proposal) == BookingVerdict(status="needs_review", reason="booking.low_confidence")


class Unsure(AccountModel):
    """A model that picks the office account from the short list, this sure."""

    def __init__(self, probability: float) -> None:
        super().__init__(FakeBackend())
        self.probability = probability

    def choose(self, vendor: str, text: str, accounts: Sequence[Account]) -> tuple[Account, float]:
        return next(a for a in accounts if a.number == "4930"), self.probability


@pytest.mark.parametrize(("probability", "account"), [(0.35, "3200"), (0.45, "4930")])
def test_a_short_list_guess_below_the_floor_leaves_the_line_kind_fallback(
    probability: float, account: str
) -> None:
    invoice = make_invoice(lines=[("Artikel 4711", "20.00", "19", "S")])  # a thing: goods unless better known
    (line,) = propose(invoice, skr03_policy(), model=Unsure(probability)).lines
    assert line.account.account == account


def test_without_a_model_a_service_line_gets_the_default_account_for_review() -> None:
    invoice = make_invoice(lines=[("Einsatz vor Ort, 3 Stunden", "20.00", "19", "S")])
    proposal = propose(invoice, skr03_policy())
    (line,) = proposal.lines
    assert (line.account.account, line.account.source, line.account.confidence) == ("4900", "default", 0.0)
    assert proposal.problems[0].code == "booking.low_confidence"


@pytest.mark.parametrize("text", ["Artikel 4711", "Gartenschlauch 20 m", "Widget XL blue, 12 pcs"])
def test_a_line_naming_neither_a_keyword_nor_a_service_is_proposed_as_goods_for_review(text: str) -> None:
    proposal = propose(make_invoice(lines=[(text, "20.00", "19", "S")]), skr03_policy())
    (line,) = proposal.lines
    assert (line.account.account, line.account.source) == ("3200", "default")
    assert line.account.confidence < 0.8
    assert decision(proposal) == BookingVerdict(status="needs_review", reason="booking.low_confidence")


def test_a_failing_model_is_noted_and_the_invoice_still_gets_a_proposal() -> None:
    def broken(_context: str, _option: str) -> float:
        raise ModelError("model gone")

    invoice = make_invoice(lines=[("Artikel 4711", "20.00", "19", "S")])
    proposal = propose(invoice, skr03_policy(), model=AccountModel(FakeBackend(broken)))
    assert proposal.lines[0].account.source == "default"
    assert "booking.model_unavailable" in [p.code for p in proposal.problems]


def test_a_reviewers_choice_wins_and_earlier_model_choices_are_reused() -> None:
    lines = [("Artikel 4711", "20.00", "19", "S"), ("Schweinesteak", "10.00", "7", "S")]
    first = propose(make_invoice(lines=lines), skr03_policy(), model=AccountModel(prefer("Wareneingang")))
    remembered = {line.description: line.account for line in first.lines}
    overrides = {0: from_reviewer(skr03_policy().chart, "4930", "key:abc")}
    again = propose(make_invoice(lines=lines), skr03_policy(), overrides=overrides, remembered=remembered)
    assert [(x.account.account, x.account.source) for x in again.lines] == [
        ("4930", "reviewer"),
        ("3200", "model"),
    ]


def test_lines_with_the_same_text_are_asked_once() -> None:
    backend = prefer("Wareneingang")
    lines = [("Artikel 0815", "10.00", "19", "S")] * 3
    propose(make_invoice(lines=lines), skr03_policy(), model=AccountModel(backend))
    assert len(backend.calls) == 1


def test_an_invoice_without_lines_is_one_line_per_vat_rate() -> None:
    invoice = make_invoice(lines=[("Porto", "10.00", "19", "S"), ("Buch", "20.00", "7", "S")])
    invoice.line_items = []
    proposal = propose(invoice, skr03_policy())
    assert [(line.description, line.net_amount) for line in proposal.lines] == [
        ("Papierhaus Nord GmbH", Decimal("10.00")),
        ("Papierhaus Nord GmbH", Decimal("20.00")),
    ]


def test_an_invoice_without_vat_breakdown_gets_its_rate_from_the_totals() -> None:
    invoice = make_invoice(lines=[("Porto", "100.00", "19", "S")])
    invoice.tax_breakdown, invoice.line_items = [], []
    (group,) = propose(invoice, skr03_policy()).taxes
    assert (group.rate, group.tax_key) == (Decimal(19), "9")


def test_what_blocks_posting_is_an_error_and_names_the_field() -> None:
    proposal = propose(make_invoice(currency="USD", number="", issued=None), skr03_policy())
    assert {p.code for p in proposal.blocking} == {
        "booking.rate_missing",  # a foreign invoice without an imported rate
        "booking.document_number_missing",
        "booking.document_date_missing",
    }
    assert decision(proposal).status == "needs_review"


@pytest.mark.parametrize("threshold", [0.0, 0.5, HIGHEST_CAP, 1.01])
def test_a_policy_whose_threshold_would_post_capped_proposals_alone_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match=f"must be above {HIGHEST_CAP:g}"):
        skr03_policy(threshold)
