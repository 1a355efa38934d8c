"""The vendor directory in the database: learnt from approved invoices, read by validation."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agents.validation import ValidationAgent
from agents.validation.settings import ValidationSettings
from app.vendors.directory import DbVendorDirectory, record_approved_invoice, vendor_for
from app.vendors.models import Vendor
from schemas.booking import VendorRef
from schemas.invoice import Invoice
from tests.agents.validation.crafted import IBAN, OTHER_IBAN, SELLER_VAT_ID, TODAY, craft


def vendor_codes(invoice: Invoice, factory: sessionmaker[Session]) -> list[str]:
    agent = ValidationAgent(None, ValidationSettings(), None, DbVendorDirectory(factory), clock=lambda: TODAY)
    codes = [f.code for f in agent.validate(invoice, "", None).findings]
    return [c for c in codes if c.startswith(("vendor.", "bank."))]


def test_an_approved_invoice_creates_the_vendor_with_its_ids_and_iban(session: Session) -> None:
    vendor = record_approved_invoice(session, craft())
    assert vendor is not None
    assert (vendor.name, vendor.vat_id, vendor.tax_number) == ("Lieferant GmbH", SELLER_VAT_ID, "20111340209")
    assert vendor.ibans == [IBAN]
    assert vendor.invoice_count == 1
    assert vendor.last_invoice_date is not None


def test_the_next_approved_invoice_updates_the_same_vendor(session: Session) -> None:
    record_approved_invoice(session, craft())
    vendor = record_approved_invoice(session, craft(iban=OTHER_IBAN))
    assert vendor is not None
    assert vendor.ibans == [IBAN, OTHER_IBAN]
    assert vendor.invoice_count == 2
    assert session.scalar(select(func.count()).select_from(Vendor)) == 1


def test_a_vendor_is_found_by_name_when_the_invoice_has_no_ids(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    record_approved_invoice(session, craft())
    anonymous = craft().model_copy(update={"seller_vat_id": None, "seller_tax_number": None})
    found = DbVendorDirectory(session_factory).find(
        anonymous.model_copy(update={"seller_name": "LIEFERANT gmbh"})
    )
    assert found is not None
    assert found.vat_id == SELLER_VAT_ID


def test_validation_knows_new_vendors_and_changed_bank_accounts(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    assert vendor_codes(craft(), session_factory) == ["vendor.new"]
    record_approved_invoice(session, craft())
    assert vendor_codes(craft(), session_factory) == []
    assert vendor_codes(craft(iban=OTHER_IBAN), session_factory) == ["bank.changed"]


def test_an_invoice_without_a_seller_teaches_nothing(session: Session) -> None:
    assert record_approved_invoice(session, Invoice(invoice_number="1")) is None


def test_a_vendor_known_only_by_its_creditor_account_is_not_on_file_until_a_person_approves(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    # As an automatic posting leaves it: the seller's vendor, with an ID from an invoice nobody approved.
    posted = vendor_for(session, VendorRef(name="Lieferant GmbH", tax_number="99/999/99999"))
    session.flush()
    assert vendor_codes(craft(), session_factory) == ["vendor.new"]
    approved = record_approved_invoice(session, craft())
    assert approved is not None
    assert approved.id == posted.id
    assert (approved.invoice_count, approved.tax_number) == (1, "20111340209")  # the approved one's
    assert vendor_codes(craft(), session_factory) == []
