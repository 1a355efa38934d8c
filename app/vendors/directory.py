"""The vendor directory in the database: looked up by validation, updated from approved invoices only.

Only a person's approval teaches the directory: an invoice that was never approved must not be able
to put its IBAN on file, or a forged invoice would vouch for the next one. The same rows are the sellers
the journal's creditor accounts belong to (`find_vendor`, `vendor_for`); a vendor that only has an
account (no approved invoice yet) is not on file for validation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from agents.validation.normalize import compact_id, company_key
from agents.validation.ports import KnownVendor
from agents.validation.vendors import match_vendor, payee_ibans
from app.vendors.models import Vendor
from schemas.booking import VendorRef
from schemas.invoice import Invoice

#: The widths of `vendors.name` and of its ID columns (PostgreSQL refuses longer values).
NAME_LENGTH = 255
ID_LENGTH = 32


class DbVendorDirectory:
    """`VendorDirectory` over the `vendors` table; each lookup in its own short session."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def find(self, invoice: Invoice) -> KnownVendor | None:
        with self.factory() as session:
            rows = [row for row in _candidates(session, invoice) if row.invoice_count]
            return match_vendor(invoice, [_known(row) for row in rows])


def find_vendor(session: Session, ref: VendorRef) -> Vendor | None:
    """The seller's vendor, approved or not: same VAT ID, else tax number, else name (legal form aside)."""
    invoice = _as_invoice(ref)
    rows = _candidates(session, invoice)
    known = match_vendor(invoice, [_known(row) for row in rows])
    return next((row for row in rows if known is not None and row.id == known.id), None)


def vendor_for(session: Session, ref: VendorRef) -> Vendor:
    """The seller's vendor; an unknown seller is added without approved invoices (only flushes)."""
    found = find_vendor(session, ref)
    if found is not None:
        return found
    name = ref.name or ref.vat_id or ref.tax_number or ""
    vendor = Vendor(
        name=name[:NAME_LENGTH],
        name_key=company_key(name)[:NAME_LENGTH],
        vat_id=_ident(ref.vat_id),
        tax_number=_ident(ref.tax_number),
        ibans=[],
        invoice_count=0,
    )
    session.add(vendor)
    session.flush()
    return vendor


def _as_invoice(ref: VendorRef) -> Invoice:
    return Invoice(seller_name=ref.name, seller_vat_id=ref.vat_id, seller_tax_number=ref.tax_number)


def _ident(value: str | None) -> str | None:
    # An "ID" longer than any real one is no ID: cut short it would name somebody else.
    ident = compact_id(value or "")
    return ident if ident and len(ident) <= ID_LENGTH else None


def approved_invoice_count(session: Session, invoice: Invoice) -> int:
    """How many invoices of the invoice's seller a person has approved (0 for an unknown seller)."""
    rows = [row for row in _candidates(session, invoice) if row.invoice_count]
    known = match_vendor(invoice, [_known(row) for row in rows])
    return next((row.invoice_count for row in rows if known is not None and row.id == known.id), 0)


def _candidates(session: Session, invoice: Invoice) -> list[Vendor]:
    conditions = []
    if invoice.seller_vat_id:
        conditions.append(Vendor.vat_id == compact_id(invoice.seller_vat_id))
    if invoice.seller_tax_number:
        conditions.append(Vendor.tax_number == compact_id(invoice.seller_tax_number))
    if invoice.seller_name and company_key(invoice.seller_name):
        conditions.append(Vendor.name_key == company_key(invoice.seller_name))
    if not conditions:
        return []
    return list(session.scalars(select(Vendor).where(or_(*conditions)).order_by(Vendor.id)))


def _known(row: Vendor) -> KnownVendor:
    return KnownVendor(
        id=row.id,
        name=row.name,
        vat_id=row.vat_id,
        tax_number=row.tax_number,
        ibans=list(row.ibans),
    )


def record_approved_invoice(session: Session, invoice: Invoice) -> Vendor | None:
    """Create or update the seller's vendor from an invoice a person approved; only flushes.

    Returns None when the invoice names no seller at all.
    """
    if not (invoice.seller_name or invoice.seller_vat_id):
        return None
    rows = _candidates(session, invoice)
    known = match_vendor(invoice, [_known(row) for row in rows])
    vendor = next((row for row in rows if known is not None and row.id == known.id), None)
    if vendor is None:
        vendor = Vendor(
            name=(invoice.seller_name or invoice.seller_vat_id or "")[:NAME_LENGTH], ibans=[], invoice_count=0
        )
        session.add(vendor)
    _update(vendor, invoice)
    session.flush()
    return vendor


def _update(vendor: Vendor, invoice: Invoice) -> None:
    if invoice.seller_name:
        vendor.name = invoice.seller_name[:NAME_LENGTH]
    vendor.name_key = company_key(vendor.name)[:NAME_LENGTH]
    approved = bool(vendor.invoice_count)
    vendor.vat_id = _filled(vendor.vat_id, invoice.seller_vat_id, approved=approved)
    vendor.tax_number = _filled(vendor.tax_number, invoice.seller_tax_number, approved=approved)
    vendor.ibans = _merged(vendor.ibans or [], payee_ibans(invoice))
    vendor.invoice_count = (vendor.invoice_count or 0) + 1
    latest = vendor.last_invoice_date
    if invoice.issue_date and (latest is None or invoice.issue_date > latest):
        vendor.last_invoice_date = invoice.issue_date


def _filled(on_file: str | None, seen: str | None, *, approved: bool) -> str | None:
    """An approved invoice fills gaps; it does not silently replace an ID an earlier approval put on file.
    An ID only the creditor account knew (from an invoice nobody approved) gives way to the approved one."""
    if on_file and approved:
        return on_file
    return _ident(seen) or on_file


def _merged(known: Iterable[str], new: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*known, *new]))
