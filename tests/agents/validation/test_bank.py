"""Payment accounts on the page: several IBANs, or a printed change of bank details, go to a person."""

from __future__ import annotations

from datetime import date

import pytest

from agents.validation.bank import check_bank
from agents.validation.duplicates import check_duplicates
from agents.validation.normalize import compact_id
from agents.validation.ports import PriorInvoice
from agents.validation.settings import ValidationSettings
from schemas.invoice import Invoice

IBAN = "DE89370400440532013000"
OTHER = "DE75512108001245126199"


def test_one_iban_printed_twice_is_one_account() -> None:
    invoice = Invoice(iban=IBAN, ibans=[IBAN, "DE89 3704 0044 0532 0130 00"])
    assert check_bank(invoice, "Bankverbindung: IBAN DE89 3704 0044 0532 0130 00") == []


def test_two_different_ibans_are_a_reason_to_look() -> None:
    findings = check_bank(Invoice(iban=IBAN, ibans=[IBAN, OTHER]), "")
    assert [f.code for f in findings] == ["bank.multiple_ibans"]
    assert OTHER in findings[0].message


def test_several_ibans_all_on_file_for_the_vendor_are_no_surprise() -> None:
    invoice = Invoice(iban=IBAN, ibans=[IBAN, OTHER])
    assert check_bank(invoice, "", [OTHER, "DE89 3704 0044 0532 0130 00"]) == []
    assert [f.code for f in check_bank(invoice, "", [IBAN])] == ["bank.multiple_ibans"]


@pytest.mark.parametrize(
    "notice",
    [
        "Bitte beachten Sie unsere neue Bankverbindung:",
        "NEUE IBAN ab 1. April",
        "Unsere Bankverbindung hat sich geändert.",
        "Please note our new bank details.",
        "Updated account details below",
        "Nos nouvelles coordonnées bancaires :",
        "Nouveau RIB joint",
    ],
)
def test_a_printed_change_of_bank_details_is_a_reason_to_look(notice: str) -> None:
    findings = check_bank(Invoice(iban=IBAN, ibans=[IBAN]), f"Rechnung\n{notice}\nIBAN {IBAN}")
    assert [f.code for f in findings] == ["bank.change_notice"]


@pytest.mark.parametrize(
    "line",
    ["Bankverbindung: Sparkasse", "Neue Produkte im Katalog", "Kontoinhaber: Muster GmbH", "New customer"],
)
def test_ordinary_bank_lines_are_no_change_notice(line: str) -> None:
    assert check_bank(Invoice(iban=IBAN, ibans=[IBAN]), line) == []


@pytest.mark.parametrize("mark", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"])
def test_format_characters_do_not_dodge_the_duplicate_check(mark: str) -> None:
    prior = Invoice(seller_vat_id="DE136695976", invoice_number="RE-2024-0042", issue_date=date(2024, 3, 1))
    again = prior.model_copy(update={"invoice_number": f"RE-2024{mark}-00{mark}42"})
    findings = check_duplicates(
        again, [PriorInvoice(document_id=1, invoice=prior)], ValidationSettings(), credit_note=False
    )
    assert [f.code for f in findings] == ["duplicate.same_number"]


def test_format_characters_leave_compact_identifiers() -> None:
    assert compact_id("DE89\u200b3704 0044\u00ad0532 0130 00\ufeff") == IBAN
