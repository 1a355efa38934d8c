"""A small linear classifier of invoice line texts, trained here on booked lines: the chain's learned source.

Features are the line's words and the character 3- to 5-grams of each word (German compounds share their
parts: "Versandkosten" and "Versandpauschale" both hold "versa", "rsand"), weighted tf-idf and scaled to
unit length; the model is scikit-learn's multinomial logistic regression (L2 penalty, L-BFGS: no random
state), so the same lines always give the same model. Nothing is pickled: the model is rebuilt from its
lines (the labelled lines shipped in `lines.json` plus the installation's bookings a person posted) in well
under a second. Every answer names the features that pushed it most, so a reviewer sees why.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from agents.booking.chart import FIXED_ASSET, Chart, load_chart, normalize

#: Character n-gram lengths taken from each word (with `<` and `>` marking its start and end).
GRAMS = (3, 4, 5)
#: Inverse strength of the L2 penalty on the weights (scikit-learn's `C`): a handful of lines must not make
#: one feature decide alone. About the penalty the earlier hand-written fit used (1e-3 on the mean loss of
#: some 160 lines); held out by vendor (`bench.booking_learned`) C = 1, 10, 100 were right on 159, 158 and
#: 151 of 205 lines.
STRENGTH = 10.0
#: L-BFGS iterations; the fit converges well before on a few hundred lines.
ITERATIONS = 1000
Matrix = npt.NDArray[np.float64]


def features(text: str) -> Counter[str]:
    """Words (`w:`) and the character n-grams of each word (`g:`) of the normalized text."""
    found: Counter[str] = Counter()
    for word in normalize(text).split():
        if word.isdigit():
            continue
        found[f"w:{word}"] += 1
        marked = f"<{word}>"
        for n in GRAMS:
            found.update(f"g:{marked[i : i + n]}" for i in range(len(marked) - n + 1))
    return found


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float
    #: The words (or word parts) that pushed this label most, strongest first.
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class LineClassifier:
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: Matrix
    weights: Matrix
    bias: Matrix
    lines: int

    def vector(self, text: str) -> Matrix:
        row = np.zeros(len(self.vocabulary))
        for index, value in self.entries(text):
            row[index] = value
        return row

    def entries(self, text: str) -> list[tuple[int, float]]:
        """The text's nonzero tf-idf features, scaled to unit length, as (index, value)."""
        found = [
            (index, (1 + math.log(count)) * float(self.idf[index]))
            for name, count in features(text).items()
            if (index := self.vocabulary.get(name)) is not None
        ]
        norm = math.sqrt(sum(v * v for _i, v in found))
        return [(i, v / norm) for i, v in found] if norm else []

    def predict(self, text: str, among: Iterable[str] | None = None) -> Prediction | None:
        """The most likely label (restricted to `among` when given, probabilities renormalized over them);
        None when the text shares no feature with the training lines or no label is allowed."""
        row = self.vector(text)
        allowed = [i for i, label in enumerate(self.labels) if among is None or label in set(among)]
        if not row.any() or not allowed:
            return None
        scores = row @ self.weights[:, allowed] + self.bias[allowed]
        probabilities = _softmax(scores[None, :])[0]
        best = int(np.argmax(probabilities))
        column = allowed[best]
        pushed = row * self.weights[:, column]
        names = {index: name for name, index in self.vocabulary.items()}
        strongest = [names[int(i)] for i in np.argsort(-pushed)[:3] if pushed[int(i)] > 0]
        return Prediction(
            self.labels[column], float(probabilities[best]), tuple(_shown(n) for n in strongest)
        )


def _shown(feature: str) -> str:
    return feature[2:].strip("<>")


def _softmax(scores: Matrix) -> Matrix:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    result: Matrix = shifted / shifted.sum(axis=1, keepdims=True)
    return result


def train(examples: Sequence[tuple[str, str]]) -> LineClassifier | None:
    """A classifier of (text, label) lines; None with fewer than two labels to tell apart."""
    labels = tuple(sorted({label for _text, label in examples}))
    if len(labels) < 2:
        return None
    counted = [features(text) for text, _label in examples]
    names = sorted({name for found in counted for name in found})
    vocabulary = {name: i for i, name in enumerate(names)}
    documents = Counter(name for found in counted for name in found)
    idf = np.array([math.log((1 + len(examples)) / (1 + documents[n])) + 1 for n in names])
    empty = LineClassifier(labels, vocabulary, idf, np.zeros((len(names), len(labels))), np.zeros(0), 0)
    rows = [empty.entries(text) for text, _label in examples]
    x = sparse.csr_matrix(
        (
            [v for row in rows for _i, v in row],
            ([r for r, row in enumerate(rows) for _ in row], [i for row in rows for i, _v in row]),
        ),
        shape=(len(examples), len(names)),
    )
    y = np.zeros((len(examples), len(labels)))
    y[np.arange(len(examples)), [labels.index(label) for _text, label in examples]] = 1.0
    weights, bias = _fit(x, y)
    return LineClassifier(labels, vocabulary, idf, weights, bias, len(examples))


def _fit(x: Any, y: Matrix) -> tuple[Matrix, Matrix]:
    """Weights (features x labels) and biases of a multinomial logistic regression of `y`'s one-hot rows."""
    fitted = LogisticRegression(C=STRENGTH, max_iter=ITERATIONS, tol=1e-6).fit(x, y.argmax(axis=1))
    coef, intercept = (
        np.asarray(fitted.coef_, dtype=np.float64),
        np.asarray(fitted.intercept_, dtype=np.float64),
    )
    if coef.shape[0] == 1:  # two labels: the one score split evenly, so the softmax is its sigmoid
        coef, intercept = np.vstack([-coef, coef]) / 2, np.concatenate([-intercept, intercept]) / 2
    return coef.T.copy(), intercept


def labelled_lines() -> list[dict[str, Any]]:
    """The labelled line descriptions shipped with Kontor (`lines.json`): a `category` or an SKR03
    `account` each."""
    text = resources.files("agents.booking").joinpath("lines.json").read_text(encoding="utf-8")
    rows: list[dict[str, Any]] = json.loads(text)["lines"]
    return rows


def line_classifier(chart: Chart, approved: Iterable[tuple[str, str]] = ()) -> LineClassifier | None:
    """The chart's classifier: the shipped labelled lines and the installation's (text, account) lines a
    person posted; lines on accounts the chart does not let Kontor choose are left out."""
    choosable = {a.number for a in chart.choosable}
    own = [(text, account) for text, account in approved if account in choosable]
    return train(examples_for(chart, labelled_lines()) + own)


def examples_for(
    chart: Chart, rows: Iterable[dict[str, Any]], source_chart: str = "skr03"
) -> list[tuple[str, str]]:
    """(text, account of `chart`) for labelled rows: a category's account in the chart, an account of
    `source_chart` itself (or, in another chart, its category's account). Lines labelled with an account
    Kontor never proposes (fixed assets, balance-sheet accounts) teach nothing and are left out."""
    labelled_in = load_chart(source_chart)
    found: list[tuple[str, str]] = []
    for row in rows:
        if "category" in row:
            account = chart.by_category(row["category"])
        elif chart.name == source_chart:
            account = chart.get(row["account"])
        else:
            original = labelled_in.get(row["account"])
            account = chart.by_category(original.category) if original else None
        if account is not None and account.bookable and account.category != FIXED_ASSET:
            found.append((row["description"], account.number))
    return found
