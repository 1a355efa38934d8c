"""Where the shared invoice corpus lies: `KONTOR_CORPUS_DIR`, else `shared/corpus` beside the repository."""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    configured = os.environ.get("KONTOR_CORPUS_DIR")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"
    if not path.is_dir():
        raise RuntimeError(f"invoice corpus not found at {path}; set KONTOR_CORPUS_DIR")
    return path


def truth(path: Path) -> dict[str, object]:
    """The ground truth JSON beside a corpus file."""
    loaded: dict[str, object] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return loaded
