"""Confidence: a value read with too little certainty is named so a person checks it."""

from __future__ import annotations

from agents.validation.settings import ValidationSettings
from schemas.finding import Finding, FindingCode
from schemas.invoice import Invoice


def check_confidence(invoice: Invoice, settings: ValidationSettings) -> list[Finding]:
    findings = []
    for name, source in invoice.fields.items():
        threshold = settings.confidence_thresholds.get(name, settings.confidence_threshold)
        if source.confidence < threshold:
            label = name.replace("_", " ")
            findings.append(
                Finding.of(
                    FindingCode.CONFIDENCE_LOW,
                    "warning",
                    f"The {label} was read with low confidence ({source.confidence:.0%}); check it.",
                    name,
                )
            )
    return findings
