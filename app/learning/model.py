"""The extraction model in use: the installation's current version when there is one, else the shipped
one; and the extractor built from it for the worker and the command line."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from agents.base import Backend
from agents.extraction.agent import ExtractionAgent, Us
from agents.extraction.learned import Extractor, LearnedAgent
from agents.extraction.memory import LayoutMemory
from agents.extraction.scorer import FieldScorer
from app.config import Settings
from app.learning.store import SCORER_FILE, ModelStore


@dataclass(frozen=True)
class ExtractionModel:
    """What a trained version adds to the shipped extraction agent."""

    #: None: the shipped model, nothing learned on this installation.
    version: str | None
    memory: LayoutMemory = field(default_factory=LayoutMemory)
    #: The field scorer retrained with the installation's invoices; None: the shipped scorer.
    scorer: FieldScorer | None = None


SHIPPED = ExtractionModel(version=None)


def load_model(store: ModelStore, version: str | None) -> ExtractionModel:
    if version is None:
        return SHIPPED
    scorer_file = store.path(version) / SCORER_FILE
    scorer = FieldScorer.load(scorer_file) if scorer_file.is_file() else None
    return ExtractionModel(version=version, memory=store.memory(version), scorer=scorer)


def build_extractor(model: ExtractionModel, backend: Backend | None, us: Us | None = None) -> Extractor:
    agent = ExtractionAgent(backend, us=us, scorer=model.scorer or "shipped")
    return LearnedAgent(agent, model.memory) if model.memory.vendors else agent


class CurrentModel:
    """The store's current version, loaded once and again only after `kontor train` or a rollback."""

    def __init__(self, store: ModelStore) -> None:
        self.store = store
        self._loaded = SHIPPED
        self._lock = threading.Lock()

    def get(self) -> ExtractionModel:
        version = self.store.current()
        with self._lock:
            if self._loaded.version != version:
                self._loaded = load_model(self.store, version)
            return self._loaded


def current_model(settings: Settings) -> ExtractionModel:
    store = ModelStore(settings.models_dir)
    return load_model(store, store.current())
