"""`make run` as a user runs it: it sets up, migrates, prints an admin key once and serves."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

import httpx

from tests.corpus import REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(data_dir: Path, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KONTOR_", "VIRTUAL_ENV"))}
    env.update({"KONTOR_DATA_DIR": str(data_dir), "KONTOR_PORT": str(port)})
    return subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> httpx.Response:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.5)
    raise AssertionError(f"make run did not become ready:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_once(tmp_path: Path, name: str) -> tuple[httpx.Response, str]:
    port, log = free_port(), tmp_path / f"{name}.log"
    with log.open("wb") as out:
        process = start(tmp_path / "var", port, out)
        try:
            ready = wait_ready(port, process, log)
        finally:
            stop(process)
    return ready, log.read_text()


def test_make_run_serves_on_the_embedded_defaults(tmp_path: Path) -> None:
    ready, first_log = run_once(tmp_path, "first")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    checks = ready.json()["checks"]
    assert (checks["database"], checks["queue"]) == ("ok", "ok")
    assert "ktr_" in first_log  # the admin key, shown on first start
    assert (tmp_path / "var" / "kontor.db").is_file()
    assert (tmp_path / "var" / "queue.db").is_file()
    _ready, second_log = run_once(tmp_path, "second")
    assert "ktr_" not in second_log  # shown once only
