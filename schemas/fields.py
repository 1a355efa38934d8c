"""One table of the invoice's fields: what each is, how people and the model call it, how it is scored.

Adding a header field is adding a row here and an attribute to `schemas.invoice.Invoice`; the review
page, the extraction's model questions, the cross-check's messages and the evaluation read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: What a value is: how it is parsed from a form, compared and shown.
FieldKind = Literal["identifier", "code", "date", "amount", "name", "text", "address"]
#: How an extracted value is compared with its truth (`agents.extraction.scoring`).
ScoringRule = Literal["identifier", "document_type", "amount", "name", "address", "exact"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    #: In a sentence: "The page shows {label} …".
    label: str
    #: On the review page, as a heading.
    review_label: str
    scoring: ScoringRule
    #: What the model is asked when page values tie; None: the model is never asked for this field.
    question: str | None = None
    #: A header field carries its confidence and provenance (`Invoice.fields`); addresses do not.
    header: bool = True


def _spec(
    name: str,
    kind: FieldKind,
    scoring: ScoringRule,
    *,
    label: str | None = None,
    review_label: str | None = None,
    question: str | None = None,
    header: bool = True,
) -> FieldSpec:
    words = name.replace("_", " ")
    return FieldSpec(
        name=name,
        kind=kind,
        label=label or words,
        review_label=review_label or words.capitalize(),
        scoring=scoring,
        question=question,
        header=header,
    )


_SELLER_QUESTION = "Name of the company that issued this invoice (the seller, supplier):"
_BUYER_QUESTION = "Name of the customer this invoice is addressed to (the buyer):"

#: Every scored field, header fields first in the order the review page shows them.
FIELDS: tuple[FieldSpec, ...] = (
    _spec("invoice_number", "identifier", "identifier", question="Invoice number:"),
    _spec("document_type_code", "code", "document_type", label="document type", review_label="Document type"),
    _spec("issue_date", "date", "exact", question="Invoice date (date of issue):"),
    _spec("due_date", "date", "exact", question="Payment due date:"),
    _spec("delivery_date", "date", "exact"),
    _spec("currency", "code", "exact"),
    _spec("seller_name", "name", "name", question=_SELLER_QUESTION),
    _spec("seller_vat_id", "identifier", "identifier", label="seller VAT ID", review_label="Seller VAT ID"),
    _spec("seller_tax_number", "identifier", "identifier"),
    _spec("seller_country", "code", "exact"),
    _spec("buyer_name", "name", "name", question=_BUYER_QUESTION),
    _spec("buyer_vat_id", "identifier", "identifier", label="buyer VAT ID", review_label="Buyer VAT ID"),
    _spec("buyer_country", "code", "exact"),
    _spec("line_total", "amount", "amount"),
    _spec("allowance_total", "amount", "amount"),
    _spec("charge_total", "amount", "amount"),
    _spec("net_total", "amount", "amount"),
    _spec("tax_total", "amount", "amount", label="VAT total"),
    _spec("gross_total", "amount", "amount"),
    _spec("prepaid_amount", "amount", "amount"),
    _spec("amount_due", "amount", "amount"),
    _spec("iban", "identifier", "identifier", label="IBAN", review_label="IBAN"),
    _spec("bic", "identifier", "identifier", label="BIC", review_label="BIC"),
    _spec("payer_iban", "identifier", "identifier", label="payer IBAN", review_label="Payer IBAN"),
    _spec("payment_terms", "text", "name"),
    _spec("purchase_order", "identifier", "identifier"),
    _spec("seller_address", "address", "address", header=False),
    _spec("buyer_address", "address", "address", header=False),
)
FIELD_SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
