"""What the validation agent checks against. The app's `Settings.validation` is this model, filled from
`KONTOR_VALIDATION__*` (and the flat company fields); the agent never reads the environment itself."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class ValidationSettings(BaseModel):
    """What the validation agent checks against; the company identity comes from the flat fields."""

    company_name: str | None = None
    company_vat_id: str | None = None
    company_currency: str = "EUR"
    #: Rounding tolerance per line and per document total, in the invoice currency.
    line_tolerance: Decimal = Decimal("0.01")
    document_tolerance: Decimal = Decimal("0.02")
    #: Gross amount up to which the relaxed small-amount content applies (§ 33 UStDV).
    small_amount_limit: Decimal = Decimal("250")
    max_invoice_age_days: int = Field(default=365, ge=1)
    #: Near-duplicates: same seller and gross amount, issue dates at most this far apart.
    duplicate_window_days: int = Field(default=60, ge=0)
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    #: Per-field overrides of `confidence_threshold`, e.g. `{"iban": 0.9}`.
    confidence_thresholds: dict[str, float] = Field(default_factory=dict)
    #: Warnings that send a document to review like an error does (shell-style patterns).
    review_warnings: list[str] = Field(
        default_factory=lambda: [
            "document.*",
            "amount.*",
            "currency.*",
            "date.issue_*",
            "vat.*",
            "statutory.*",
            "identifiers.*",
            "buyer.*",
            "duplicate.*",
            "vendor.*",
            "bank.*",
            "text.hidden",
            "confidence.low",
            "text.truncated",
            "ocr.new_vendor",
        ]
    )
