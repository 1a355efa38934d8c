"""The field record one extraction builds: values with their `FieldSource`, and the questions it asks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from agents.base import Backend
from agents.extraction.candidates import Candidate, Sighting
from agents.extraction.choose import QUESTIONS, choose, excerpt_context
from agents.extraction.confidence import Basis, calibrated, raw_score
from agents.extraction.constraints import Resolved
from agents.extraction.header import Pick
from agents.extraction.identifiers import Found
from agents.extraction.layout import BBox, Layout
from agents.extraction.scorer.features import Option, Page
from agents.extraction.scorer.ranking import Ranker, Ranking
from schemas.invoice import FieldSource, Invoice, LineItem

#: A rule's pick stands without asking the model when it leads the next candidate by this much. On the
#: development corpus the 270M model broke more near-ties than it mended (it favours short options),
#: so it only breaks true ties.
CLEAR_LEAD = 0.1
MAX_OPTIONS = 4
#: With a trained ranker the model is asked only when the ranker's top two options are this close.
RANKER_TIE = 0.05
#: A ranker sees more options than the model could read in one question.
RANKER_OPTIONS = 12
#: The fields whose ranker ties the model breaks. Measured leave-one-layout-out on real/ (with the
#: synthetic set, `python -m bench.scorer lolo ... --model` against the same run without): it set one
#: more issue date right and changed no invoice number, seller or buyer, so it is not asked for those.
MODEL_TIE_FIELDS = frozenset({"issue_date"})


class Record:
    def __init__(
        self, backend: Backend | None, layout: Layout, max_questions: int, ranker: Ranker | None = None
    ) -> None:
        self._backend = backend
        self._layout = layout
        self._ranker = ranker
        self._page: Page | None = None
        self._budget = max_questions
        self._values: dict[str, Any] = {}
        self._sources: dict[str, FieldSource] = {}
        self.questions = 0

    @property
    def ranked(self) -> bool:
        """A trained ranker chooses among candidates (it can weigh more, weaker ones than rules)."""
        return self._ranker is not None

    def value(self, field: str) -> object | None:
        return self._values.get(field)

    def source(self, field: str) -> FieldSource | None:
        return self._sources.get(field)

    def read(self, field: str, value: object, source: str, evidence: float, page: int, bbox: BBox) -> None:
        """A value read from the page by a named rule (not a labelled candidate)."""
        self._set(field, value, "page", source, evidence, page, bbox)

    def invoice(self, items: list[LineItem]) -> Invoice:
        return Invoice(**self._values, line_items=items, fields=self._sources)

    def set_plain(self, field: str, value: object) -> None:
        self._values[field] = value

    def pick(self, field: str, pick: Pick) -> None:
        kind = "page" if pick.bbox is not None else "rule"
        self._set(field, pick.value, kind, pick.source, raw_score(pick.evidence), pick.page, pick.bbox)

    def found(self, field: str, found: Found | None, rule: str) -> None:
        if found is not None:
            evidence = 0.95 if found.checksum_ok else 0.85
            self._set(field, found.value, "page", rule, evidence, found.page, found.bbox)

    def derived(self, field: str, value: object, rule: str, evidence: float) -> None:
        self._set(field, value, "rule", rule, evidence, None, None)

    def computed(self, field: str, value: object, rule: str, evidence: float, page: int, bbox: BBox) -> None:
        """A value a named rule computed from printed words; it points at those words."""
        self._set(field, value, "rule", rule, evidence, page, bbox)

    def total(self, field: str, resolved: Resolved) -> None:
        cand = resolved.candidate
        resolved = replace(resolved, value=resolved.value + 0)  # "-0,00" is printed, zero is meant
        if cand is None or cand.source.startswith("rule:sum"):
            # A sum of rows is computed, not printed: it points at no box of its own.
            rule = resolved.rule if cand is None else f"{resolved.rule} ({cand.source})"
            self._set(field, resolved.value, "rule", rule, resolved.evidence, None, None)
        else:
            self._set(
                field,
                resolved.value,
                "page",
                f"{resolved.rule} ({cand.source})",
                resolved.evidence,
                cand.page,
                cand.bbox,
            )

    def choose_candidate(self, field: str, candidates: Sequence[Candidate]) -> None:
        """Take the strongest distinct value, or let the model choose when the top ones are close."""
        distinct: dict[object, Candidate] = {}
        for cand in sorted(candidates, key=lambda c: -c.strength):
            distinct.setdefault(cand.value, cand)
        options = list(distinct.values())[: self._max_options()]
        self._take(field, options, [_printed(c) for c in options], [c.value for c in options])

    def choose_name(self, field: str, candidates: Sequence[Sighting]) -> None:
        options = list(candidates)[: self._max_options()]
        self._take(field, options, [c.text for c in options], [c.text for c in options])

    def _max_options(self) -> int:
        return RANKER_OPTIONS if self._ranker is not None else MAX_OPTIONS

    def _take(
        self,
        field: str,
        options: Sequence[Sighting],
        texts: list[str],
        values: Sequence[object],
    ) -> None:
        """Set `field` to the option the rules (or, in a tie, the model) choose, with its provenance."""
        if options and (ranking := self._rank(field, options, texts, values)) is not None:
            self._take_ranked(field, options, values, ranking)
            return
        options, texts = options[:MAX_OPTIONS], texts[:MAX_OPTIONS]
        index, probability, basis = self._decide(
            field, texts, [c.strength for c in options], [c.line for c in options]
        )
        if index is None:
            return
        chosen = options[index]
        self._set(
            field,
            values[index],
            "model" if basis == "model" else "page",
            chosen.source,
            raw_score(chosen.strength, probability),
            chosen.page,
            chosen.bbox,
            basis,
        )

    def _rank(
        self,
        field: str,
        options: Sequence[Sighting],
        texts: list[str],
        values: Sequence[object],
    ) -> Ranking | None:
        if self._ranker is None:
            return None
        if self._page is None:
            self._page = Page(self._layout)
        seen = [
            Option(
                text=text,
                value=value,
                page=c.page,
                bbox=c.bbox,
                source=c.source,
                strength=c.strength,
                line=c.line,
            )
            for c, text, value in zip(options, texts, values, strict=True)
        ]
        ranking = self._ranker.rank(field, self._page, seen)
        if ranking is None or ranking.margin >= RANKER_TIE or self._backend is None:
            return ranking
        if field not in MODEL_TIE_FIELDS:
            return ranking
        if self.questions >= self._budget:
            return ranking
        # A near tie for the ranker: the model reads the lines and chooses between its two best.
        top = sorted(range(len(texts)), key=lambda i: -ranking.probabilities[i])[:2]
        self.questions += 1
        context = excerpt_context(self._layout, [options[i].line for i in top])
        choice = choose(
            self._backend, context, field, [texts[i] for i in top], [ranking.probabilities[i] for i in top]
        )
        index = top[choice.index]
        return replace(
            ranking, index=index, reasons=("the model chose between the scorer's two best",), by_model=True
        )

    def _take_ranked(
        self,
        field: str,
        options: Sequence[Sighting],
        values: Sequence[object],
        ranking: Ranking,
    ) -> None:
        chosen = options[ranking.index]
        self._values[field] = values[ranking.index]
        self._sources[field] = FieldSource(
            confidence=ranking.confidence,
            kind="model" if ranking.by_model else "page",
            source=f"scorer ({chosen.source})"[:200],
            page=chosen.page,
            bbox=chosen.bbox,
            reasons=ranking.reasons,
        )

    def _decide(
        self, field: str, texts: list[str], priors: list[float], lines: list[int]
    ) -> tuple[int | None, float, Basis]:
        if not texts:
            return None, 0.0, "rule"
        lead = priors[0] - (priors[1] if len(priors) > 1 else 0.0)
        if (
            len(texts) == 1
            or lead >= CLEAR_LEAD
            or self._backend is None
            or self.questions >= self._budget
            or field not in QUESTIONS  # a field the model is never asked about
        ):
            return 0, min(1.0, 0.6 + lead), "rule"
        self.questions += 1
        choice = choose(self._backend, excerpt_context(self._layout, lines), field, texts, priors)
        return choice.index, choice.probabilities[choice.index], "model"

    def _set(
        self,
        field: str,
        value: object,
        kind: str,
        source: str,
        score: float,
        page: int | None,
        bbox: BBox | None,
        basis: Basis = "rule",
    ) -> None:
        self._values[field] = value
        self._sources[field] = FieldSource(
            confidence=calibrated(basis, score),
            kind=kind,
            source=source[:200],
            page=page,
            bbox=bbox,
        )


def _printed(cand: Candidate) -> str:
    if isinstance(cand.value, date | Decimal):
        return cand.text
    return str(cand.value)
