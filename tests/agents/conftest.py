"""Fixtures for the model backends: the embedded Gemma, in process and behind a real server."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agents.llama import LlamaBackend, embedded_model_path

#: About 700 Gemma tokens: longer than the model's 512-token sliding attention window.
INVOICE_TEXT = "\n".join(
    [
        "RECHNUNG Nr. 2024-0815",
        "Muster Bürobedarf GmbH, Hauptstraße 12, 10115 Berlin, USt-IdNr. DE123456789",
        "Kunde: Beispiel AG, Industrieweg 5, 80331 München",
        "Rechnungsdatum: 15.03.2024   Leistungsdatum: 12.03.2024   Fällig: 14.04.2024",
    ]
    + [f"Pos. {i}: Artikel {1000 + i} Kopierpapier A4, {i} x {3 + i % 7},{i % 10}9 EUR" for i in range(1, 21)]
    + ["Nettobetrag: 1.234,50 EUR", "USt 19 %: 234,56 EUR", "Gesamtbetrag: 1.469,06 EUR"]
)


@pytest.fixture(scope="session")
def gemma_path() -> Path:
    return embedded_model_path()


@pytest.fixture
def llama_backend(gemma_path: Path) -> LlamaBackend:
    """The process's Gemma backend, with a cold KV cache."""
    backend = LlamaBackend(gemma_path, n_ctx=4096)
    backend.reset()
    return backend


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/v1/models", timeout=1).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.25)
    pytest.fail("llama_cpp.server did not become ready within 120 s")


@pytest.fixture(scope="session")
def llama_server(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real OpenAI-compatible server (llama_cpp.server) on the embedded Gemma."""
    if importlib.util.find_spec("sse_starlette") is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama_cpp.server needs the llama-cpp-python[server] extras")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        *(sys.executable, "-m", "llama_cpp.server", "--model", str(gemma_path)),
        *("--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_batch", "256"),
        *("--logits_all", "True", "--verbose", "False"),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # busy in a request: it only checks signals between them
            process.kill()
            process.wait()
