"""`kontor train` and the nightly retrain: learn from the approved invoices, then let the gate decide.

1. The approved invoices (`app.learning.examples`) split into training and held back: the last
   approved invoice of every vendor with two or more is held back, the rest trains.
2. A new version learns from the training part: the vendor layout memory, and (when the corpus is
   configured) the field scorer retrained on the corpus examples plus the training invoices. Without
   the corpus a handful of invoices would make a worse scorer: the shipped one stays.
3. The gate scores the new version and the current one (or the shipped one) on the held-back invoices
   and on the labelled corpus of `KONTOR_LEARNING__CORPUS_DIRS`, header fields right of those scored,
   both with the rules alone (no language model: the same for both, repeatable, quick). The new
   version becomes current only if it is not worse on either figure. Every version is kept, refused
   ones too, with what the gate measured in its manifest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agents.extraction.agent import Us
from agents.extraction.evaluate import corpus_files, strip_embedded_xml
from agents.extraction.memory import LayoutMemory, learn
from agents.extraction.scorer import FieldScorer, examples_from_document, train
from agents.extraction.scoring import mark
from agents.reading import read_pdf
from app.config import Settings
from app.errors import KontorError
from app.learning.examples import Reviewed, reviewed_documents, split, vendors_of
from app.learning.model import ExtractionModel, build_extractor, load_model
from app.learning.store import SCORER_FILE, Figure, Manifest, ModelStore
from schemas.document import ReadResult

log = logging.getLogger(__name__)

#: The field scorer's training seed: the same examples make the same model.
SEED = 7


@dataclass(frozen=True)
class Labelled:
    """A page and its truth (a truth file's values, or an approved invoice's)."""

    name: str
    read: ReadResult
    truth: Mapping[str, Any]


def build_memory(training: Iterable[Reviewed]) -> LayoutMemory:
    memory = LayoutMemory()
    for item in training:
        learn(memory, item.read, item.truth)
    return memory


def build_scorer(corpus: Sequence[Labelled], training: Sequence[Reviewed]) -> FieldScorer | None:
    """The field scorer trained on the corpus plus the approved invoices; None without a corpus."""
    if not corpus:
        return None
    examples = [e for s in corpus for e in examples_from_document(s.read, s.truth, s.name)]
    for item in training:
        truth = item.truth.model_dump(mode="json")
        examples.extend(examples_from_document(item.read, truth, f"document {item.document_id}"))
    try:
        return train(examples, seed=SEED)
    except ValueError as exc:  # no example with a right option: nothing to learn from
        log.warning("field scorer not retrained: %s", exc)
        return None


def score(model: ExtractionModel, samples: Sequence[Labelled], us: Us) -> Figure:
    """Header fields right, of those the truth names, over `samples`."""
    extractor = build_extractor(model, None, us)
    figure = Figure()
    for sample in samples:
        fields = mark(extractor.extract(sample.read).invoice, sample.truth).fields
        figure.right += sum(fields.values())
        figure.scored += len(fields)
    return figure


def labelled_reviewed(items: Iterable[Reviewed]) -> list[Labelled]:
    return [Labelled(f"document {r.document_id}", r.read, r.truth.plain()) for r in items]


def labelled_corpus(dirs: Sequence[Path]) -> list[Labelled]:
    """Every PDF with a truth file in `dirs`, read from the page (an embedded XML is stripped first)."""
    samples = []
    for path in corpus_files(dirs):
        try:
            read = read_pdf(strip_embedded_xml(path.read_bytes()))
        except KontorError as exc:
            log.warning("corpus file %s skipped: %s", path.name, exc.message)
            continue
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        samples.append(Labelled(path.name, read, truth))
    return samples


def not_worse(new: Figure, old: Figure) -> bool:
    """Both figures count the same scored fields, so comparing the right ones is exact."""
    return new.right >= old.right


def retrain(settings: Settings, factory: sessionmaker[Session], *, now: datetime | None = None) -> Manifest:
    """Train a new version, gate it against the current one, keep it, and make it current if it passed."""
    store = ModelStore(settings.models_dir)
    with factory() as session:
        reviewed = reviewed_documents(session)
    training, held = split(reviewed)
    version = store.next_version()
    corpus = labelled_corpus(settings.learning.corpus_dirs)
    scorer = build_scorer(corpus, training) if settings.learning.retrain_scorer else None
    candidate = ExtractionModel(version=version, memory=build_memory(training), scorer=scorer)
    current = load_model(store, store.current())
    us = Us(settings.company_name, settings.company_vat_id)
    held_samples = labelled_reviewed(held)
    manifest = Manifest(
        version=version,
        created_at=now or datetime.now(UTC),
        trained_on=[r.document_id for r in training],
        held_back=[r.document_id for r in held],
        vendors=len(vendors_of(training)),
        held_back_new=score(candidate, held_samples, us),
        held_back_old=score(current, held_samples, us),
        corpus_new=score(candidate, corpus, us),
        corpus_old=score(current, corpus, us),
        replaced=current.version,
    )
    manifest.accepted, manifest.reason = _verdict(manifest)
    files = _scorer_files(scorer, settings.models_dir)
    store.write(manifest, candidate.memory, files)
    for staged in files.values():
        staged.unlink()
    if manifest.accepted:
        store.make_current(version)
    store.prune(settings.learning.keep_versions)
    log.info("trained %s: %s (%s)", version, "accepted" if manifest.accepted else "refused", manifest.reason)
    return manifest


def _scorer_files(scorer: FieldScorer | None, root: Path) -> dict[str, Path]:
    if scorer is None:
        return {}
    staged = root / f".{SCORER_FILE}.new"
    scorer.save(staged)
    return {SCORER_FILE: staged}


def _verdict(manifest: Manifest) -> tuple[bool, str]:
    worse = [
        name
        for name, new, old in (
            ("held-back invoices", manifest.held_back_new, manifest.held_back_old),
            ("corpus", manifest.corpus_new, manifest.corpus_old),
        )
        if not not_worse(new, old)
    ]
    if worse:
        return (
            False,
            f"worse than {manifest.replaced or 'the shipped model'} on the {' and the '.join(worse)}",
        )
    return (
        True,
        f"not worse than {manifest.replaced or 'the shipped model'} on the held-back invoices and the corpus",
    )
