"""Builds the heavy, per-process objects (pipeline, model backend) from the settings."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from agents.backends import load_backend
from agents.base import Backend
from app.config import Settings
from app.db import get_sessionmaker
from app.pipeline.book import build_book_step
from app.pipeline.invoice_steps import CrossCheckStep, EInvoiceStep, ExtractStep
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps import ReadStep, Step, ocr_config, sandbox_limits, text_caps
from app.pipeline.validate import ValidateStep, build_validation_agent
from app.scans.trust import DbApprovedCount, OcrTrustStep


class LazyBackend:
    """The configured model, loaded on first use: an API process that never scores never loads it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._backend: Backend | None = None
        self._lock = threading.Lock()
        self.name = f"{settings.model.backend}:{settings.model.path or settings.model.url or 'embedded'}"

    def get(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = backend_from_settings(self._settings)
            return self._backend

    def score(self, context: str, options: Sequence[str]) -> list[float]:
        return self.get().score(context, options)


def backend_from_settings(settings: Settings) -> Backend:
    model = settings.model
    return load_backend(
        model.backend,
        model_path=model.path,
        model_url=model.url,
        model_name=model.name,
        api_key=model.api_key,
        n_threads=model.threads,
        model_cache_dir=settings.data_dir / "models",
    )


def build_steps(settings: Settings, backend: Backend | None = None) -> list[Step]:
    model: Backend = backend if backend is not None else LazyBackend(settings)
    validate = ValidateStep(build_validation_agent(settings, model))
    book = build_book_step(settings, model)
    read = ReadStep(sandbox_limits(settings.sandbox), text_caps(settings.limits), ocr_config(settings.ocr))
    return [
        read,
        EInvoiceStep(),
        ExtractStep(model, company=(settings.company_name, settings.company_vat_id)),
        CrossCheckStep(),
        OcrTrustStep(
            settings.ocr.trusted_after, DbApprovedCount(get_sessionmaker(settings.resolved_database_url))
        ),
        validate,
        book,
    ]


def build_pipeline(settings: Settings, backend: Backend | None = None) -> Pipeline:
    return Pipeline(
        get_sessionmaker(settings.resolved_database_url),
        build_steps(settings, backend),
        max_attempts=settings.limits.max_attempts,
    )
