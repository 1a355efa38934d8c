"""The model backend protocol every agent talks to.

A backend does one thing: given a context and a few candidate continuations, it returns the
log-probability the model assigns to each continuation. Agents never let a model write a value;
they let it *choose* among values found on the page. Backends SHALL keep the longest evaluated
token prefix of the previous call so that many questions over one document evaluate the document
once (KV cache reuse).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    #: Human-readable identity, e.g. `llama:gemma-3-270m-q4_k_m.gguf`.
    name: str

    def score(self, context: str, options: Sequence[str]) -> list[float]:
        """Total log-probability of each option as the continuation of `context`.

        Raises `app.errors.ModelError` when the model cannot answer.
        """
        ...


def softmax(logprobs: Sequence[float]) -> list[float]:
    """Normalise option scores into probabilities that sum to 1."""
    if not logprobs:
        return []
    top = max(logprobs)
    exps = [math.exp(lp - top) for lp in logprobs]
    total = sum(exps)
    return [e / total for e in exps]
