"""Synthetic invoices with known truth: a means to train and stress a field scorer, never its judge.

    python -m bench.synth OUT --count 200 --seed 1

writes `OUT/synth-<seed>.pdf` with `OUT/synth-<seed>.json` (the schema of `corpus/real`, plus `_synth`:
seed, language, layout and the printed form of each truth value) for `count` consecutive seeds.
Everything is drawn from the seed: vendors, addresses, VAT IDs and IBANs (valid check digits), ten
locales (de, de-CH, en-US, en-GB, fr, nl, it, es, pl, cs) with their number and date formats, four
layouts, three font families and sizes, fake bold, prepayments and credit notes.

It lives in `bench/` with fpdf2 as a development dependency: it makes training and test data on a
developer's machine; nothing on an installation draws invoices.
"""

from bench.synth.invoice import LAYOUTS, SynthInvoice, draw
from bench.synth.render import render

__all__ = ["LAYOUTS", "SynthInvoice", "draw", "render"]
