"""The installation's extraction models on disk: every trained version, and which one is current.

    <models_dir>/v0001/manifest.json   what it was trained on, what the gate measured, accepted or not
    <models_dir>/v0001/memory.json     the vendor layout memory
    <models_dir>/v0001/scorer.json     the field scorer retrained with the corpus (absent: the shipped one)
    <models_dir>/CURRENT               the version extraction uses ("" or absent: the shipped model)
    <models_dir>/HISTORY               versions that became current, oldest first (for the rollback)

A version is written once and never changed; the pointer files are replaced atomically, so a worker
that loads the current model while `kontor train` runs sees the old one or the new one, whole.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agents.extraction.memory import LayoutMemory
from app.errors import KontorError

_VERSION = re.compile(r"^v(\d{4,})$")
MEMORY_FILE = "memory.json"
SCORER_FILE = "scorer.json"
MANIFEST_FILE = "manifest.json"


class StoreError(KontorError):
    error = "model_store"
    status_code = 409


class Figure(BaseModel):
    """One accuracy figure of the gate: header fields right of those scored, for one model."""

    right: int = 0
    scored: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.right / self.scored if self.scored else None

    def __str__(self) -> str:
        value = self.accuracy
        return "n/a" if value is None else f"{100 * value:.1f} % ({self.right}/{self.scored})"


class Manifest(BaseModel):
    version: str
    created_at: datetime
    #: Approved documents it learned from, and those held back to judge it.
    trained_on: list[int] = Field(default_factory=list)
    held_back: list[int] = Field(default_factory=list)
    vendors: int = 0
    #: The gate: this model and the one current when it was trained, on the same invoices.
    held_back_new: Figure = Field(default_factory=Figure)
    held_back_old: Figure = Field(default_factory=Figure)
    corpus_new: Figure = Field(default_factory=Figure)
    corpus_old: Figure = Field(default_factory=Figure)
    replaced: str | None = None
    accepted: bool = False
    reason: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)


class ModelStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [p.name for p in self.root.iterdir() if p.is_dir() and _VERSION.match(p.name)]
        return sorted(found, key=lambda name: int(name[1:]))

    def next_version(self) -> str:
        existing = self.versions()
        number = int(existing[-1][1:]) + 1 if existing else 1
        return f"v{number:04d}"

    def current(self) -> str | None:
        text = _read(self.root / "CURRENT").strip()
        return text if text in self.versions() else None

    def history(self) -> list[str]:
        return [v for v in _read(self.root / "HISTORY").split() if v in self.versions()]

    def path(self, version: str) -> Path:
        if version not in self.versions():
            raise StoreError(f"No model version {version} in {self.root}.")
        return self.root / version

    def manifest(self, version: str) -> Manifest:
        return Manifest.model_validate_json((self.path(version) / MANIFEST_FILE).read_text("utf-8"))

    def memory(self, version: str) -> LayoutMemory:
        return LayoutMemory.model_validate_json((self.path(version) / MEMORY_FILE).read_text("utf-8"))

    def write(self, manifest: Manifest, memory: LayoutMemory, files: dict[str, Path] | None = None) -> Path:
        """A new version's folder, written in a temporary place first and renamed when whole."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".{manifest.version}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        (staging / MEMORY_FILE).write_text(memory.model_dump_json(), "utf-8")
        for name, source in (files or {}).items():
            shutil.copyfile(source, staging / name)
        (staging / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2), "utf-8")
        target = self.root / manifest.version
        staging.rename(target)
        return target

    def make_current(self, version: str) -> None:
        self.path(version)
        history = [v for v in self.history() if v != version]
        _replace(self.root / "HISTORY", "\n".join([*history, version]) + "\n")
        _replace(self.root / "CURRENT", version + "\n")

    def rollback(self) -> str | None:
        """Make the version before the current one current again; returns it (None: the shipped model)."""
        current = self.current()
        if current is None:
            raise StoreError("There is no trained model to roll back: extraction uses the shipped one.")
        history = [v for v in self.history() if v != current]
        previous = history[-1] if history else None
        _replace(self.root / "HISTORY", "".join(f"{v}\n" for v in history))
        _replace(self.root / "CURRENT", (previous or "") + "\n")
        return previous

    def prune(self, keep: int) -> list[str]:
        """Remove the oldest versions beyond `keep`, never the current one or the ones it may roll back to."""
        protected = {*self.history()[-2:], self.current()}
        versions = self.versions()
        removable = [v for v in versions[: max(len(versions) - keep, 0)] if v not in protected]
        for version in removable:
            shutil.rmtree(self.root / version)
        return removable


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return ""


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)
