"""The words that name a document's class, one file per language.

Each `<language>.toml` file in this folder is one language's `ClassWords`: per class, the phrases a
title would use, plus the words that turn a following class word into a reference to another document
("zur Rechnung", "your invoice", "N° bon de livraison") and the compound labels that only an invoice
prints ("Rechnungsnummer"). Adding a language is one file here; `agents/extraction`'s per-language
vocabularies may absorb these later. Phrases are written as printed; `classify` folds case and accents
before matching."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from agents.tables import load_tables

#: Documents that are not invoices but name themselves; a title of one decides, ahead of any invoice word.
OtherDocument = Literal[
    "payment_reminder",
    "receipt",
    "order_confirmation",
    "delivery_note",
    "quote",
    "account_statement",
]
DocumentClass = Literal["invoice", "credit_note", OtherDocument, "not_invoice"]
OTHER_DOCUMENTS: tuple[OtherDocument, ...] = get_args(OtherDocument)


class ClassWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    titles: dict[DocumentClass, tuple[str, ...]]
    #: Labels naming an invoice's own number, date or amount.
    invoice_labels: tuple[str, ...] = ()
    #: Articles, possessives and prepositions: before a class word they make it a reference.
    references: tuple[str, ...] = ()
    #: Words that may precede a title ("Zweite Mahnung", "Final reminder").
    ordinals: tuple[str, ...] = ()
    #: Endings that make any compound an invoice word ("Handelsrechnung", "Eindfactuur").
    invoice_endings: tuple[str, ...] = ()
    #: Phrases that are also everyday words ("avoir": to have): they count only opening a line.
    title_only: tuple[str, ...] = ()


LANGUAGES: tuple[ClassWords, ...] = load_tables(__name__, ClassWords)
