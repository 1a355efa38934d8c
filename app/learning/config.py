"""Settings of `kontor train` and its nightly run (`KONTOR_LEARNING__*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class LearningSettings(BaseModel):
    """Where the installation's extraction model lives, when it is retrained, and what judges it."""

    #: Where every trained version is kept; empty: `data_dir/extraction-models`.
    models_dir: Path | None = None
    #: Cron expression (machine local time) of the nightly retrain; empty: only `kontor train`.
    #: On by default (after the nightly mail ingest and integrity check): the gate keeps a worse model
    #: out, and a day's corrections should help the next morning's invoices.
    schedule: str | None = "0 4 * * *"
    #: Folders of labelled PDFs (`<id>.pdf` + `<id>.json`) the gate scores besides the held-back
    #: invoices, e.g. the shipped corpus; empty: the held-back slice alone judges.
    corpus_dirs: list[Path] = Field(default_factory=list)
    #: Retrain the field scorer on the corpus plus the approved invoices (needs `corpus_dirs`).
    retrain_scorer: bool = True
    #: Versions kept on disk (the current one and the one before it are always kept).
    keep_versions: int = Field(default=10, ge=2)
