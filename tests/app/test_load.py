"""Parallel uploads against a real `kontor serve` subprocess never hang it (issue: event loop blocked).

An in-process test client cannot show this: the hang came from the synchronous ingest running on the
server's event loop while another request held the database lock. `make bench` runs the full-size
version (200 uploads, 20 in parallel) and prints the latencies; this test asserts what must hold.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from bench.load import corpus_payloads, run_load, running_server

UPLOADS = 30
PARALLEL = 10


def test_parallel_uploads_are_all_acknowledged_and_health_answers(
    live_database_url: str, tmp_path: Path
) -> None:
    payloads = corpus_payloads(20)
    with running_server(tmp_path, live_database_url, KONTOR_MODEL__BACKEND="fake") as server:
        report = run_load(server, payloads, uploads=UPLOADS, parallel=PARALLEL)
        listed = httpx.get(
            f"{server.base_url}/v1/documents?limit=200",
            headers={"Authorization": f"Bearer {server.key}"},
            timeout=30,
        ).json()["items"]

    lost = [u for u in report.uploads if u.status not in (200, 201)]
    assert lost == [], report.summary()
    per_payload = report.documents_per_payload()
    assert all(len(ids) == 1 for ids in per_payload.values()), per_payload
    document_ids = {next(iter(ids)) for ids in per_payload.values()}
    assert len(document_ids) == len(per_payload)  # distinct files, distinct documents
    assert report.statuses()[201] == len(per_payload)
    assert {d["id"] for d in listed} == document_ids
    assert report.health_seconds, "the health probe never ran"
    assert report.health_failures == 0, report.summary()
