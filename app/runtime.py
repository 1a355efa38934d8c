"""Builds the heavy, per-process objects (pipeline, model backend) from the settings."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from agents.backends import load_backend
from agents.base import Backend
from app.config import Settings
from app.db import get_sessionmaker
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps import build_steps


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


def build_pipeline(settings: Settings, backend: Backend | None = None) -> Pipeline:
    factory = get_sessionmaker(settings.resolved_database_url)
    model: Backend = backend if backend is not None else LazyBackend(settings)
    return Pipeline(factory, build_steps(settings, model, factory), max_attempts=settings.limits.max_attempts)
