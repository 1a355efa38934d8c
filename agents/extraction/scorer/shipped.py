"""The scorer shipped inside the package: used by extraction when its file is present, else rules decide."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from agents.extraction.scorer.model import FieldScorer

log = logging.getLogger(__name__)

#: Trained by `python -m bench.scorer ship`; a few hundred kilobytes of JSON (LightGBM text model).
MODEL_PATH = Path(__file__).parent / "model" / "field_scorer.json"


@cache
def shipped_scorer() -> FieldScorer | None:
    """The shipped model, or None when it is missing or unreadable (extraction then runs on rules)."""
    if not MODEL_PATH.is_file():
        return None
    try:
        return FieldScorer.load(MODEL_PATH)
    except (ImportError, ValueError, OSError) as exc:
        log.warning("field scorer %s not loaded (%s); rules decide", MODEL_PATH.name, exc)
        return None
