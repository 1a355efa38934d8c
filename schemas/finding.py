"""Findings: what a step noticed about a document, for the decision and the reviewer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]


class Finding(BaseModel):
    #: Stable dotted code, e.g. `arithmetic.gross_mismatch`, `einvoice.BR-CO-15`.
    code: str
    severity: Severity
    #: A sentence a bookkeeper understands.
    message: str
    fields: list[str] = Field(default_factory=list)
