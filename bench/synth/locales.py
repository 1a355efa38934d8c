"""How each language prints an invoice: ten locales, by code."""

from __future__ import annotations

from bench.synth.locale import Labels, Locale
from bench.synth.locales_eu import EUROPEAN
from bench.synth.locales_west import GERMANIC_ENGLISH

__all__ = ["LOCALES", "Labels", "Locale"]

LOCALES: dict[str, Locale] = {**GERMANIC_ENGLISH, **EUROPEAN}
