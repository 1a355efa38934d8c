"""The model store: versions are kept, the pointer moves only on acceptance, a rollback goes back one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agents.extraction.memory import LayoutMemory, VendorLayout
from app.learning.model import SHIPPED, CurrentModel
from app.learning.store import Manifest, ModelStore, StoreError


def add_version(store: ModelStore, *, accepted: bool = True, vendor: str = "vat:DE1") -> str:
    version = store.next_version()
    memory = LayoutMemory(vendors=[VendorLayout(keys=[vendor], invoices=1)])
    manifest = Manifest(version=version, created_at=datetime(2026, 12, 1, tzinfo=UTC), accepted=accepted)
    store.write(manifest, memory)
    if accepted:
        store.make_current(version)
    return version


def test_without_a_trained_version_extraction_uses_the_shipped_model(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    assert (store.versions(), store.current()) == ([], None)
    assert CurrentModel(store).get() is SHIPPED


def test_a_refused_version_is_kept_but_not_current(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    first = add_version(store)
    second = add_version(store, accepted=False)
    assert store.versions() == [first, second]
    assert store.current() == first
    assert store.manifest(second).accepted is False


def test_rollback_goes_back_one_accepted_version_then_to_the_shipped_model(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    first = add_version(store, vendor="vat:DE1")
    add_version(store, accepted=False)
    third = add_version(store, vendor="vat:DE3")
    models = CurrentModel(store)
    assert models.get().version == third
    assert store.rollback() == first
    assert models.get().version == first  # the worker sees the rollback without a restart
    assert models.get().memory.vendors[0].keys == ["vat:DE1"]
    assert store.rollback() is None
    assert models.get() is SHIPPED
    with pytest.raises(StoreError):
        store.rollback()


def test_pruning_keeps_the_current_version_and_the_one_to_roll_back_to(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    kept = [add_version(store) for _ in range(2)]
    refused = [add_version(store, accepted=False) for _ in range(3)]
    removed = store.prune(keep=2)
    assert store.current() == kept[-1]
    assert set(kept) <= set(store.versions())
    assert removed == refused[:1]  # the three oldest are beyond `keep`; two of them are protected
    assert store.versions() == [*kept, *refused[1:]]
