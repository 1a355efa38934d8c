"""A bounded load test of a real `kontor serve` on loopback: parallel uploads with duplicates.

`python bench/load.py` (part of `make bench`) starts its own server on a free loopback port for each
database (a fresh SQLite file, a fresh PostgreSQL database), sends `--uploads` uploads of corpus PDFs
`--parallel` at a time (every third one repeats an earlier file), polls `/healthz` throughout, and
prints: acknowledgements by status, documents per distinct file, accept latency (p50/p95/max) and the
slowest `/healthz` answer. Only 127.0.0.1 is ever contacted; every loop is bounded in count and time.
The test suite runs a smaller version of it (`tests/app/test_load.py`).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "KONTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: A request that takes longer than this is counted as lost (what the issue saw as client time-outs).
CLIENT_TIMEOUT_SECONDS = 60.0
HEALTH_TIMEOUT_SECONDS = 10.0


@dataclass
class Upload:
    payload_index: int
    status: int | None
    seconds: float
    document_id: int | None
    error: str = ""


@dataclass
class LoadReport:
    uploads: list[Upload]
    health_seconds: list[float] = field(default_factory=list)
    health_failures: int = 0

    def statuses(self) -> Counter[int | None]:
        return Counter(u.status for u in self.uploads)

    def documents_per_payload(self) -> dict[int, set[int | None]]:
        ids: dict[int, set[int | None]] = {}
        for upload in self.uploads:
            ids.setdefault(upload.payload_index, set()).add(upload.document_id)
        return ids

    def percentile(self, fraction: float) -> float:
        ordered = sorted(u.seconds for u in self.uploads)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def summary(self) -> str:
        distinct = self.documents_per_payload()
        one_each = sum(1 for ids in distinct.values() if len(ids) == 1 and None not in ids)
        health = max(self.health_seconds, default=0.0)
        return (
            f"{len(self.uploads)} uploads: statuses {dict(self.statuses())}; "
            f"{one_each}/{len(distinct)} distinct files map to exactly one document; "
            f"accept p50 {statistics.median(u.seconds for u in self.uploads):.2f} s, "
            f"p95 {self.percentile(0.95):.2f} s, max {max(u.seconds for u in self.uploads):.2f} s; "
            f"/healthz {len(self.health_seconds)} answers, slowest {health:.2f} s, "
            f"{self.health_failures} failed"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(data_dir: Path, database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONTOR_")}
    env.update(
        {
            "KONTOR_DATA_DIR": str(data_dir),
            "KONTOR_DATABASE_URL": database_url,
            "KONTOR_HOST": "127.0.0.1",
            "KONTOR_PORT": str(port),
            "KONTOR_ENVIRONMENT": "test",
        }
    )
    env.update(extra)
    return env


def _kontor(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@dataclass
class Server:
    base_url: str
    key: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def running_server(data_dir: Path, database_url: str, **extra: str) -> Iterator[Server]:
    """A migrated `kontor serve` subprocess on a free loopback port with an uploader key."""
    port = free_port()
    env = server_env(data_dir, database_url, port, **extra)
    _kontor(env, "migrate")
    _kontor(env, "keys", "create", "--role", "admin", "--name", "first")  # no first-start banner
    key = _kontor(env, "keys", "create", "--role", "uploader", "--name", "load").strip().splitlines()[-1]
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", key, process, log)
        try:
            _wait_ready(server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"kontor serve exited:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"kontor serve did not become ready:\n{server.log.read_text()}")


def upload_plan(count: int, distinct: int) -> list[int]:
    """Which payload each upload sends: every third upload repeats an earlier file."""
    plan: list[int] = []
    fresh = 0
    for i in range(count):
        if i % 3 == 2 or fresh >= distinct:
            plan.append(plan[(i * 7) % len(plan)])
        else:
            plan.append(fresh)
            fresh += 1
    return plan


def run_load(server: Server, payloads: Sequence[bytes], *, uploads: int, parallel: int) -> LoadReport:
    """Send the uploads `parallel` at a time while a thread polls /healthz; bounded by the time-outs."""
    plan = upload_plan(uploads, len(payloads))
    report = LoadReport(uploads=[])
    stop = threading.Event()
    prober = threading.Thread(target=_probe_health, args=(server.base_url, report, stop), daemon=True)
    prober.start()
    try:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            report.uploads = list(pool.map(lambda i: _upload(server, i, payloads[i]), plan))
    finally:
        stop.set()
        prober.join(timeout=HEALTH_TIMEOUT_SECONDS + 1)
    return report


def _upload(server: Server, index: int, payload: bytes) -> Upload:
    started = time.perf_counter()
    try:
        response = httpx.post(
            f"{server.base_url}/v1/documents",
            headers={"Authorization": f"Bearer {server.key}"},
            files={"file": (f"invoice-{index}.pdf", payload, "application/pdf")},
            timeout=CLIENT_TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as exc:
        return Upload(index, None, time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    document_id = response.json().get("id") if response.status_code in (200, 201) else None
    error = "" if document_id is not None else response.text[:200]
    return Upload(index, response.status_code, seconds, document_id, error)


def _probe_health(base_url: str, report: LoadReport, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        started = time.perf_counter()
        try:
            ok = httpx.get(f"{base_url}/healthz", timeout=HEALTH_TIMEOUT_SECONDS).status_code == 200
        except httpx.HTTPError:
            ok = False
        report.health_seconds.append(time.perf_counter() - started)
        report.health_failures += 0 if ok else 1


def corpus_payloads(limit: int) -> list[bytes]:
    """Distinct invoice PDFs from the shared corpus (real layouts first)."""
    sys.path.insert(0, str(ROOT))
    from tests.corpus import corpus_dir

    base = corpus_dir()
    files = sorted((base / "real").glob("*.pdf")) + sorted((base / "invoices").glob("*.pdf"))
    return [path.read_bytes() for path in files[:limit]]


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the local test server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"kontor_load_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database(kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{(directory / 'kontor.db').as_posix()}"
    else:
        with postgres_database() as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--model", default="fake", help="model backend of the server (default fake)")
    args = parser.parse_args()
    payloads = corpus_payloads(args.uploads)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        with (
            tempfile.TemporaryDirectory() as tmp,
            database(kind, Path(tmp)) as url,
            running_server(Path(tmp), url, KONTOR_MODEL__BACKEND=args.model) as server,
        ):
            report = run_load(server, payloads, uploads=args.uploads, parallel=args.parallel)
        print(f"load ({kind}, {args.parallel} in parallel): {report.summary()}")


if __name__ == "__main__":
    main()
