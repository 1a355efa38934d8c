from __future__ import annotations

import math
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from agents.llama import LlamaBackend, embedded_model_path, fit_context
from app.errors import ModelError
from tests.agents.conftest import INVOICE_TEXT

QUESTION = "\n\nFrage: Wie lautet die Rechnungsnummer?\nAntwort:"
OPTIONS = [" 2024-0815", " DE123456789", " 10115", " 1.469,06", " 15.03.2024"]


def _close(a: list[float], b: list[float], tolerance: float = 1e-3) -> bool:
    return all(math.isclose(x, y, abs_tol=tolerance) for x, y in zip(a, b, strict=True))


@pytest.mark.model
def test_scores_are_finite_negative_log_probs(llama_backend: LlamaBackend) -> None:
    scores = llama_backend.score("The capital of France is", [" Paris", " banana", " the city of light"])

    assert all(math.isfinite(score) and score < 0 for score in scores)


@pytest.mark.model
def test_prefers_the_sensible_continuation(llama_backend: LlamaBackend) -> None:
    paris, banana = llama_backend.score("The capital of France is", [" Paris", " banana"])

    assert paris > banana


@pytest.mark.model
def test_no_options_and_empty_option(llama_backend: LlamaBackend) -> None:
    assert llama_backend.score("Hello", []) == []
    assert llama_backend.score("Hello", [""]) == [0.0]


@pytest.mark.model
def test_reused_document_prefix_scores_like_a_cold_evaluation(llama_backend: LlamaBackend) -> None:
    llama_backend.score(INVOICE_TEXT + "\n\nFrage: Wer ist der Kunde?\nAntwort:", [" Beispiel AG"])
    before = llama_backend.tokens_evaluated
    warm = llama_backend.score(INVOICE_TEXT + QUESTION, OPTIONS)
    warm_cost = llama_backend.tokens_evaluated - before

    llama_backend.reset()
    before = llama_backend.tokens_evaluated
    cold = llama_backend.score(INVOICE_TEXT + QUESTION, OPTIONS)
    cold_cost = llama_backend.tokens_evaluated - before

    assert _close(warm, cold)
    assert cold_cost > 700
    # The question, the rest of the document's last 64-token chunk, and the options.
    assert warm_cost < 150


@pytest.mark.model
def test_repeated_context_evaluates_only_option_tokens(llama_backend: LlamaBackend) -> None:
    context = INVOICE_TEXT + QUESTION
    llama_backend.score(context, OPTIONS)
    before = llama_backend.tokens_evaluated

    again = llama_backend.score(context, [" 2024-0815", " 2024-0816"])

    # Gemma splits digits: each option is 10 tokens, of which all but the last are evaluated.
    assert llama_backend.tokens_evaluated - before == 18
    assert again[0] > again[1]


@pytest.mark.model
def test_an_option_scores_the_same_whatever_the_other_options(llama_backend: LlamaBackend) -> None:
    context = "Nettobetrag: 1.234,50 EUR\nGesamtbetrag: 1.469,06 EUR\n\nDer Gesamtbetrag ist"
    options = [" 1.469,06", " 1.469,60", " 1.234,50", " 1"]

    together = llama_backend.score(context, options)
    alone = [llama_backend.score(context, [option])[0] for option in options]

    assert together == alone


@pytest.mark.model
def test_overlong_context_is_truncated_not_refused(gemma_path: Path) -> None:
    backend = LlamaBackend(gemma_path, n_ctx=512)
    context = INVOICE_TEXT + "\n\nThe capital of France is"

    paris, banana = backend.score(context, [" Paris", " banana"])

    assert math.isfinite(paris)
    assert paris > banana


def _score_paris(model_path: Path, answer: Connection) -> None:
    answer.send(LlamaBackend(model_path).score("The capital of France is", [" Paris"]))
    answer.close()


@pytest.mark.model
def test_a_forked_child_loads_its_own_model(llama_backend: LlamaBackend, gemma_path: Path) -> None:
    expected = llama_backend.score("The capital of France is", [" Paris"])

    # A plain process, killed if it has not ended after answering: a forked child can inherit a lock
    # held at the fork and a SIGTERM handler an earlier test installed, and then never end on its own
    # (a pool's terminate() waited for such a worker forever).
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_score_paris, args=(gemma_path, send))
    child.start()
    try:
        assert receive.poll(120), "the forked child gave no score within 2 minutes"
        in_child = receive.recv()
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()

    assert in_child == expected


def test_fit_context_drops_the_middle_and_keeps_head_and_question() -> None:
    context = list(range(100))

    fitted = fit_context(context, n_ctx=64, longest_option=5)

    assert len(fitted) == 60
    assert fitted[:8] == list(range(8))
    assert fitted[-52:] == list(range(48, 100))


def test_fit_context_leaves_short_context_alone() -> None:
    assert fit_context([1, 2, 3], n_ctx=64, longest_option=5) == [1, 2, 3]


def test_fit_context_refuses_an_option_longer_than_the_window() -> None:
    with pytest.raises(ModelError):
        fit_context([1, 2, 3], n_ctx=64, longest_option=64)


def test_missing_model_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        LlamaBackend(tmp_path / "missing.gguf")


def test_embedded_model_assembles_once_atomically(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(embedded_model_path, [tmp_path] * 4))

    assert len(set(paths)) == 1
    assert paths[0].stat().st_size > 200_000_000
    assert not list(tmp_path.glob("*.part"))
    assert not list(tmp_path.glob(".*.part"))


def test_embedded_model_replaces_a_truncated_file(tmp_path: Path, gemma_path: Path) -> None:
    target = tmp_path / gemma_path.name
    target.write_bytes(b"GGUF truncated")

    assert embedded_model_path(tmp_path).stat().st_size == gemma_path.stat().st_size
