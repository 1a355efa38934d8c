"""A `Backend` on an OpenAI-compatible server's legacy `/v1/completions` endpoint.

Each option is scored by one request for `context + option` with `echo=true` and `logprobs=1`:
the server returns the log-probability of every prompt token and its character offset, and the
option's score is the sum over the tokens that overlap the option's characters (a token that
straddles the boundary counts, since its probability depends on the option). The server, not
this client, reuses its KV cache across requests (llama.cpp's servers and vLLM do).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import httpx

from agents.errors import ModelError

_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_MISSING_LOGPROBS = (
    "the server did not return prompt log-probabilities: it must support `echo` with `logprobs` on "
    "/v1/completions (llama_cpp.server needs logits_all=True; the OpenAI API itself no longer offers it)"
)


def _api_root(base_url: str) -> str:
    root = base_url.rstrip("/")
    return root if root.endswith("/v1") else f"{root}/v1"


def option_logprob(logprobs: Any, *, start: int, end: int) -> float:
    """Sum the log-probs of the echoed tokens overlapping characters `[start, end)` of the prompt."""
    try:
        offsets: list[int] = list(logprobs["text_offset"])
        values: list[float | None] = list(logprobs["token_logprobs"])
        texts: list[str] = list(logprobs["tokens"])
    except (KeyError, TypeError) as exc:
        raise ModelError(_MISSING_LOGPROBS) from exc
    ends = [*offsets[1:], offsets[-1] + len(texts[-1])] if offsets else []
    picked = [
        value
        for offset, stop, value in zip(offsets, ends, values, strict=False)
        if offset < end and stop > start
    ]
    if not picked:
        raise ModelError(f"{_MISSING_LOGPROBS}; no echoed token covers the option")
    if any(value is None for value in picked):
        raise ModelError("the server gave no log-probability for the option's first token (empty context?)")
    return sum(value for value in picked if value is not None)


class OpenAIBackend:
    """Scores options on a remote OpenAI-compatible completions server (llama.cpp, vLLM, ...).

    Connection failures, timeouts and 408/429/5xx answers are retried `retries` times with
    exponential back-off, then raised as `ModelError`, as is any other HTTP error.
    """

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        api_key: str | None = None,
        timeout: float = 60,
        *,
        retries: int = 2,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = f"openai:{model or base_url}"
        self._model = model
        self._retries = retries
        self._backoff = backoff
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=_api_root(base_url), timeout=timeout, headers=headers, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def score(self, context: str, options: Sequence[str]) -> list[float]:
        return [self._score_one(context, option) for option in options]

    def _score_one(self, context: str, option: str) -> float:
        if not option:
            return 0.0
        prompt = context + option
        try:
            choice = self._complete(prompt)["choices"][0]
            logprobs, echoed = choice["logprobs"], choice.get("text")
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ModelError(f"malformed completion response: {exc!r}") from exc
        if logprobs is None:
            raise ModelError(_MISSING_LOGPROBS)
        # Offsets count in the echoed text, which some servers begin with a rendered BOS token.
        shift = max(echoed.find(prompt), 0) if isinstance(echoed, str) else 0
        start = shift + len(context)
        return option_logprob(logprobs, start=start, end=start + len(option))

    def _complete(self, prompt: str) -> Any:
        # max_tokens=1, not 0: llama_cpp.server reads 0 as "until the window is full".
        payload: dict[str, Any] = {
            "prompt": prompt,
            "max_tokens": 1,
            "echo": True,
            "logprobs": 1,
            "temperature": 0,
        }
        if self._model:
            payload["model"] = self._model
        for attempt in range(self._retries + 1):
            try:
                response = self._client.post("/completions", json=payload)
            except httpx.TransportError as exc:
                failure = f"cannot reach the model server at {self._client.base_url}: {exc}"
            else:
                if response.status_code not in _RETRYABLE_STATUS:
                    return _json(response)
                failure = _http_failure(response)
            if attempt < self._retries:
                time.sleep(self._backoff * 2**attempt)
        raise ModelError(f"{failure} (after {self._retries + 1} attempts)")


def _json(response: httpx.Response) -> Any:
    if response.is_error:
        raise ModelError(_http_failure(response))
    try:
        return response.json()
    except ValueError as exc:
        raise ModelError(f"the model server answered with invalid JSON: {exc}") from exc


def _http_failure(response: httpx.Response) -> str:
    return f"the model server answered {response.status_code}: {response.text[:300]}"
