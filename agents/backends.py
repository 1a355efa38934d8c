"""Build the configured `Backend`. Heavy imports (llama.cpp) happen only for the backend asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from agents.base import Backend
from agents.errors import ConfigurationError

BackendKind = Literal["llama", "openai", "fake"]


def load_backend(
    kind: BackendKind,
    *,
    model_path: Path | None = None,
    model_url: str | None = None,
    model_name: str | None = None,
    api_key: str | None = None,
    n_threads: int | None = None,
    model_cache_dir: Path | None = None,
) -> Backend:
    """The backend of `kind`. `llama` without `model_path` runs the embedded Gemma 3 270M,
    assembled into `model_cache_dir` on first use; `openai` needs `model_url`."""
    if kind == "llama":
        from agents.llama import LlamaBackend, embedded_model_path

        return LlamaBackend(model_path or embedded_model_path(model_cache_dir), n_threads=n_threads)
    if kind == "openai":
        from agents.openai import OpenAIBackend

        if not model_url:
            raise ConfigurationError("the openai model backend needs a model URL")
        return OpenAIBackend(model_url, model_name, api_key)
    from agents.fake import FakeBackend

    return FakeBackend()
