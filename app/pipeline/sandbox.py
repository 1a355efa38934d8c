"""Untrusted work in a child process with a memory cap and a wall-time limit.

PDF libraries (pdfminer, pdfium, later OCR) can be kept busy for hours or made to allocate gigabytes
by a hostile file. `run_sandboxed(func, arg, limits)` runs one call in a warm child process whose
address space is capped (RLIMIT_AS); past the wall-time limit the child is killed. The caller gets
the result, the function's own exception, or a `ProcessingTimeoutError` / `ResourceLimitError` /
`ReaderCrashError`, and lives on.

Children are started with `spawn`, never `fork`: a forked child of a process that has used libgomp
(llama.cpp, Tesseract) can hang. Spawning costs about a second with these imports, so each child
is kept warm for `max_tasks_per_child` calls; every concurrent caller borrows a child of its own.
`func` and `arg` must be picklable (a module-level function and plain data). As with any `spawn`,
the parent's main module is imported again in the child (as `__mp_main__`), so a script that uses
the sandbox needs the `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from app.errors import ProcessingTimeoutError, ReaderCrashError, ResourceLimitError

log = logging.getLogger(__name__)

A = TypeVar("A")
R = TypeVar("R")

#: The child's exit code after a MemoryError (any code Python itself does not use).
EXIT_OUT_OF_MEMORY = 86
#: How long a fresh child may take to import what it needs; not counted against the document.
STARTUP_SECONDS = 120.0
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int
    timeout_seconds: float
    max_tasks_per_child: int = 100


class Sandbox:
    """A pool of warm children for one set of limits; thread-safe."""

    def __init__(self, limits: SandboxLimits) -> None:
        self.limits = limits
        self._idle: list[_Child] = []
        self._lock = threading.Lock()

    def run(self, func: Callable[[A], R], arg: A) -> R:
        child = self._borrow(func.__module__)
        try:
            return child.call(func, arg, self.limits.timeout_seconds)
        finally:
            self._give_back(child)  # a child that died or was killed is dropped there

    def prestart(self, func: Callable[..., Any]) -> None:
        """Start a child for `func` now, so the first document does not wait for it (~1 s)."""
        with self._lock:
            if not self._idle:
                self._idle.append(_Child(self.limits.memory_mb, preload=func.__module__))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.close()

    def _borrow(self, module: str) -> _Child:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Child(self.limits.memory_mb, preload=module)

    def _give_back(self, child: _Child) -> None:
        if not child.alive or child.calls >= self.limits.max_tasks_per_child:
            child.close()  # recycled: whatever the libraries leaked goes with it
            return
        with self._lock:
            self._idle.append(child)


_sandboxes: dict[SandboxLimits, Sandbox] = {}
_sandboxes_lock = threading.Lock()


def run_sandboxed(func: Callable[[A], R], arg: A, limits: SandboxLimits) -> R:
    """`func(arg)` in a warm child process under `limits` (one shared pool per set of limits)."""
    return shared_sandbox(limits).run(func, arg)


def shared_sandbox(limits: SandboxLimits) -> Sandbox:
    with _sandboxes_lock:
        sandbox = _sandboxes.get(limits)
        if sandbox is None:
            sandbox = _sandboxes[limits] = Sandbox(limits)
        return sandbox


class _Child:
    """One spawned process and the parent's end of its pipe."""

    def __init__(self, memory_mb: int, *, preload: str) -> None:
        self.memory_mb = memory_mb
        self.conn, child_conn = _CONTEXT.Pipe(duplex=True)
        self.process: BaseProcess = _CONTEXT.Process(
            target=_serve, args=(child_conn, memory_mb, preload), name="kontor-sandbox", daemon=True
        )
        self.process.start()
        child_conn.close()
        self.calls = 0
        self.alive = True
        self._ready = False

    def call(self, func: Callable[[A], R], arg: A, timeout: float) -> R:
        """`func(arg)` in the child; its own exception is raised here and the child stays usable."""
        try:
            if not self._ready:
                self._receive(STARTUP_SECONDS, starting=True)
                self._ready = True
            self.calls += 1
            self.conn.send((func, arg))
            kind, value = self._receive(timeout, starting=False)
        except BaseException:
            self.close()  # killed, dead, or interrupted mid-call: never reused
            raise
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        assert isinstance(value, BaseException)
        raise value

    def _receive(self, timeout: float, *, starting: bool) -> tuple[str, Any]:
        if not self.conn.poll(timeout):
            self.close()
            if starting:
                raise ReaderCrashError(f"The sandbox process did not start within {timeout:.0f} s.")
            raise ProcessingTimeoutError(f"Reading the file took longer than {timeout:g} s; it was stopped.")
        try:
            message: tuple[str, Any] = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(timeout=10)
            exitcode = self.process.exitcode
            self.close()
            raise _death_error(exitcode, self.memory_mb) from None
        return message

    def close(self) -> None:
        if not self.alive and self.conn.closed:
            return
        self.alive = False
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()
        self.process.close()


def _death_error(exitcode: int | None, memory_mb: int) -> Exception:
    if exitcode == EXIT_OUT_OF_MEMORY:
        return ResourceLimitError(
            f"Reading the file needed more than the memory limit of {memory_mb} MB; it was stopped."
        )
    if exitcode == -signal.SIGABRT:
        # pdfium (C++) aborts when an allocation fails; under the cap that is what an abort means.
        return ResourceLimitError(
            f"The reader ran out of its memory limit of {memory_mb} MB and aborted; it was stopped."
        )
    if exitcode == -signal.SIGKILL:
        # Nobody here sends SIGKILL before giving up on the pipe: it was the kernel's OOM killer.
        return ResourceLimitError("Reading the file used more memory than the machine allows; stopped.")
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return ReaderCrashError(f"The reader crashed on this file ({how}); it is damaged or hostile.")


def _serve(conn: Connection, memory_mb: int, preload: str) -> None:
    """The child's loop: import the work's module, cap the memory, say ready, then run calls.

    The import happens before "ready" so that it does not count against the first call's time.
    """
    importlib.import_module(preload)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready", None))
    while True:
        try:
            func, arg = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone or closed us
        try:
            _answer(conn, func, arg)
        except MemoryError:
            # Even reporting it may need memory; the exit code says it, and the heap is not trusted.
            os._exit(EXIT_OUT_OF_MEMORY)


def _answer(conn: Connection, func: Callable[[Any], Any], arg: Any) -> None:
    try:
        result = func(arg)
    except Exception as exc:
        if _caused_by_memory(exc):
            raise MemoryError from exc
        conn.send(("error", _picklable(exc)))  # the function's own error travels back to the caller
        return
    conn.send(("ok", result))


def _caused_by_memory(exc: BaseException | None) -> bool:
    # Libraries wrap what they catch (pdfplumber turns any error into PdfminerException).
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
