from __future__ import annotations

import json
import math
from collections.abc import Callable

import httpx
import pytest

from agents.backends import load_backend
from agents.fake import FakeBackend
from agents.llama import LlamaBackend
from agents.openai import OpenAIBackend, option_logprob
from app.errors import ConfigurationError, ModelError

Handler = Callable[[httpx.Request], httpx.Response]

GOOD_BODY = {
    "choices": [
        {
            "text": "Hi there!",
            "logprobs": {
                "tokens": ["Hi", " there", "!"],
                "text_offset": [0, 2, 8],
                "token_logprobs": [None, -1.5, -0.25],
            },
        }
    ]
}


def _backend(handler: Handler, *, model: str | None = None, retries: int = 2) -> OpenAIBackend:
    transport = httpx.MockTransport(handler)
    return OpenAIBackend("http://model.test", model, retries=retries, backoff=0, transport=transport)


def test_sums_the_log_probs_of_the_option_tokens() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=GOOD_BODY)

    assert _backend(handler, model="gemma").score("Hi", [" there"]) == [-1.5]
    payload = json.loads(requests[0].content)
    assert requests[0].url.path == "/v1/completions"
    assert payload["prompt"] == "Hi there"
    assert payload["echo"] is True
    assert payload["model"] == "gemma"


def test_a_token_straddling_the_boundary_counts_for_the_option() -> None:
    logprobs = {"tokens": ["ab", "cd"], "text_offset": [0, 2], "token_logprobs": [-1.0, -2.0]}

    assert option_logprob(logprobs, start=1, end=4) == -3.0


def test_offsets_after_an_echoed_bos_token_are_shifted() -> None:
    logprobs = {
        "tokens": ["<bos>", "Hi", " there"],
        "text_offset": [0, 5, 7],
        "token_logprobs": [None, -3, -1.5],
    }
    body = {"choices": [{"text": "<bos>Hi there", "logprobs": logprobs}]}

    assert _backend(lambda request: httpx.Response(200, json=body)).score("Hi", [" there"]) == [-1.5]


def test_missing_logprobs_name_the_missing_server_feature() -> None:
    body = {"choices": [{"text": "Hi there", "logprobs": None}]}
    backend = _backend(lambda request: httpx.Response(200, json=body))

    with pytest.raises(ModelError, match="echo"):
        backend.score("Hi", [" there"])


def test_server_that_ignores_echo_is_a_model_error() -> None:
    body = {
        "choices": [{"text": "!", "logprobs": {"tokens": ["!"], "text_offset": [8], "token_logprobs": [-1]}}]
    }
    backend = _backend(lambda request: httpx.Response(200, json=body))

    with pytest.raises(ModelError, match="log-probabilities"):
        backend.score("Hi", [" there"])


def test_transient_errors_are_retried() -> None:
    answers = iter([httpx.Response(503, text="loading"), httpx.Response(200, json=GOOD_BODY)])

    assert _backend(lambda request: next(answers)).score("Hi", [" there"]) == [-1.5]


def test_retries_are_bounded() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(502, text="bad gateway")

    with pytest.raises(ModelError, match="502"):
        _backend(handler, retries=2).score("Hi", [" there"])
    assert len(calls) == 3


def test_client_errors_are_not_retried() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(401, json={"error": "bad key"})

    with pytest.raises(ModelError, match="401"):
        _backend(handler).score("Hi", [" there"])
    assert len(calls) == 1


def test_unreachable_server_is_a_model_error() -> None:
    backend = OpenAIBackend("http://127.0.0.1:9", timeout=2, retries=1, backoff=0)

    with pytest.raises(ModelError, match="cannot reach"):
        backend.score("Hi", [" there"])


@pytest.mark.model
def test_real_server_agrees_with_the_in_process_backend(
    llama_server: str, llama_backend: LlamaBackend
) -> None:
    # Short contexts: llama_cpp.server sorts the 262k-entry vocabulary in Python for every echoed
    # token, so a long prompt takes minutes there.
    remote = OpenAIBackend(llama_server, timeout=300)
    cases = [
        ("The capital of France is", [" Paris", " banana"]),
        ("Rechnung Nr. 2024-0815\nRechnungsnummer:", [" 2024-0815", " 0815"]),
    ]
    for context, options in cases:
        here, there = llama_backend.score(context, options), remote.score(context, options)

        assert all(math.isclose(a, b, abs_tol=0.1) for a, b in zip(here, there, strict=True)), (here, there)
        assert here.index(max(here)) == there.index(max(there))
    remote.close()


def test_load_backend_builds_the_openai_backend() -> None:
    backend = load_backend("openai", model_url="http://model.test:8000", model_name="gemma")

    assert isinstance(backend, OpenAIBackend)
    assert backend.name == "openai:gemma"


def test_load_backend_refuses_openai_without_url() -> None:
    with pytest.raises(ConfigurationError):
        load_backend("openai")


def test_load_backend_fake_needs_no_model() -> None:
    assert isinstance(load_backend("fake"), FakeBackend)
