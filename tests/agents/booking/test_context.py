"""The invoice's other lines as context for a line no keyword places (`agents.booking.context`)."""

from __future__ import annotations

from agents.booking import decision, propose
from agents.booking.accounts import from_reviewer, keyword_matches
from agents.booking.context import CONTEXT_CONFIDENCE, names_ancillary_cost
from tests.booking_factories import make_invoice, skr03_policy

POLICY = skr03_policy()


def _accounts(*lines: tuple[str, str]) -> list[tuple[str, float, str]]:
    invoice = make_invoice(lines=[(text, net, "19", "S") for text, net in lines])
    return [
        (line.account.account, line.account.confidence, line.account.reason)
        for line in propose(invoice, POLICY).lines
    ]


def test_the_lines_used_name_one_keyword_or_none() -> None:
    chart = POLICY.chart
    assert len(keyword_matches("Programmierung Schnittstelle", chart)) == 1
    assert not keyword_matches("Dokumentation", chart)
    assert not keyword_matches("Modell B-17, grau", chart)
    assert len(keyword_matches("Versand und Verpackung", chart)) == 1


def test_a_vague_line_takes_the_account_of_the_surely_placed_rest_of_the_invoice_as_a_proposal() -> None:
    programming = _accounts(("Programmierung Schnittstelle", "1500.00"))[0][0]
    (_work, (account, confidence, reason)) = _accounts(
        ("Programmierung Schnittstelle", "1500.00"), ("Dokumentation", "400.00")
    )
    assert account == programming
    assert confidence == CONTEXT_CONFIDENCE < POLICY.threshold
    assert "other lines" in reason


def test_alone_the_vague_line_keeps_its_own_fallback() -> None:
    programming = _accounts(("Programmierung Schnittstelle", "1500.00"))[0][0]
    ((account, _confidence, reason),) = _accounts(("Dokumentation", "400.00"))
    assert account != programming
    assert "other lines" not in reason


def test_a_small_sure_line_does_not_place_the_bulk_of_the_invoice() -> None:
    # Shipping beside goods that no keyword names: the goods stay goods, not shipping.
    postage = _accounts(("Versand und Verpackung", "9.90"))[0][0]
    lines = _accounts(
        ("Modell B-17, grau", "120.00"), ("Modell C-4, blau", "80.00"), ("Versand und Verpackung", "9.90")
    )
    assert [a for a, _c, _r in lines[:2]] != [postage, postage]
    assert all("other lines" not in reason for _a, _c, reason in lines)


def test_two_sure_accounts_without_a_majority_place_nothing() -> None:
    lines = _accounts(
        ("Programmierung Schnittstelle", "500.00"),
        ("Versand und Verpackung", "500.00"),
        ("Dokumentation", "100.00"),
    )
    assert "other lines" not in lines[2][2]


def test_installing_a_fixed_asset_is_part_of_its_cost() -> None:
    # § 255 (1) HGB: the server (over 800 EUR) is a fixed asset; its installation goes to the same account.
    server, install = _accounts(("Server-Hardware Rack 2HE", "3500.00"), ("Installation vor Ort", "760.00"))
    assert server[0].startswith("0")
    assert install[0] == server[0]
    assert "255" in install[2]
    assert install[1] < POLICY.threshold


def test_an_installation_without_a_fixed_asset_on_the_invoice_is_no_asset() -> None:
    ((account, _confidence, reason),) = _accounts(("Installation vor Ort", "760.00"))
    assert not account.startswith("0")
    assert "255" not in reason


def test_a_reviewers_choice_is_kept_whatever_the_context() -> None:
    invoice = make_invoice(
        lines=[("Programmierung Schnittstelle", "1500.00", "19", "S"), ("Dokumentation", "400.00", "19", "S")]
    )
    mine = from_reviewer(POLICY.chart, "4950")
    proposal = propose(invoice, POLICY, overrides={1: mine})
    assert proposal.lines[1].account == mine
    assert (
        decision(proposal).status == "needs_review"
        or proposal.lines[0].account.confidence >= POLICY.threshold
    )


def test_incidental_cost_words() -> None:
    assert names_ancillary_cost("Lieferung und Montage")
    assert names_ancillary_cost("Delivery and assembly")
    assert not names_ancillary_cost("Dokumentation")
