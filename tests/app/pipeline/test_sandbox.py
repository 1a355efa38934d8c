"""The sandbox: results, errors, the wall-time limit, the memory cap and crashes, in real child processes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from agents.reading.pdf import ReadJob, TextCaps, read_job
from app.errors import CorruptDocumentError, ProcessingTimeoutError, ReaderCrashError, ResourceLimitError
from app.pipeline.sandbox import Sandbox, SandboxLimits
from schemas.document import ReadResult
from tests import hostile
from tests.factories import text_pdf

#: Set in the parent only: a forked child would inherit the change, a spawned one imports afresh.
PARENT_MARK = ["untouched"]


def process_id(_: object) -> int:
    return os.getpid()


def parent_mark(_: object) -> str:
    return PARENT_MARK[0]


def sleep_for(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def allocate(mebibytes: int) -> int:
    return len(bytearray(mebibytes * 1024 * 1024))


def fail_with(message: str) -> None:
    raise CorruptDocumentError(message)


def abort(_: object) -> None:
    os.abort()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # Small limits of its own, so these tests never touch the pipeline's pool.
    box = Sandbox(SandboxLimits(memory_mb=768, timeout_seconds=2, max_tasks_per_child=3))
    yield box
    box.close()


def test_a_warm_child_is_reused_then_recycled(sandbox: Sandbox) -> None:
    pids = [sandbox.run(process_id, None) for _ in range(4)]
    assert os.getpid() not in pids
    assert pids[0] == pids[1] == pids[2]
    assert pids[3] != pids[0]  # max_tasks_per_child=3


def test_the_child_is_spawned_not_forked(sandbox: Sandbox) -> None:
    PARENT_MARK[0] = "changed in the parent"
    try:
        assert sandbox.run(parent_mark, None) == "untouched"
    finally:
        PARENT_MARK[0] = "untouched"


def test_the_function_s_own_error_reaches_the_caller(sandbox: Sandbox) -> None:
    before = sandbox.run(process_id, None)
    with pytest.raises(CorruptDocumentError, match="broken xref"):
        sandbox.run(fail_with, "broken xref")
    assert sandbox.run(process_id, None) == before  # the same child serves the next document


def test_past_the_time_limit_the_child_is_killed_and_the_next_call_works(sandbox: Sandbox) -> None:
    first = sandbox.run(process_id, None)
    with pytest.raises(ProcessingTimeoutError) as caught:
        sandbox.run(sleep_for, 60)
    assert caught.value.failure_code == "timeout"
    assert sandbox.run(process_id, None) != first


def test_past_the_memory_cap_the_call_fails_with_resource_limit(sandbox: Sandbox) -> None:
    with pytest.raises(ResourceLimitError) as caught:
        sandbox.run(allocate, 2048)
    assert caught.value.failure_code == "resource_limit"
    assert sandbox.run(allocate, 16) == 16 * 1024 * 1024


def test_a_crashing_reader_is_reported_and_survived(sandbox: Sandbox) -> None:
    with pytest.raises((ReaderCrashError, ResourceLimitError)):
        sandbox.run(abort, None)
    assert sandbox.run(sleep_for, 0) == 0


def test_a_pdf_is_read_the_same_inside_and_caps_hold(sandbox: Sandbox) -> None:
    caps = TextCaps(max_words=10_000, max_chars=100_000)
    pdf = text_pdf("Rechnung 2024-17", pages=2)
    result = sandbox.run(read_job, ReadJob(pdf, caps))
    assert result == read_job(ReadJob(pdf, caps))
    assert ReadResult.model_validate_json(result).page_count == 2


@pytest.mark.parametrize("variant", ["words", "tiny_grid", "many_strings"])
def test_a_text_bomb_page_is_cut_to_the_caps_not_laid_out(variant: str) -> None:
    caps = TextCaps(max_words=10_000, max_chars=100_000)
    box = Sandbox(SandboxLimits(memory_mb=1536, timeout_seconds=60))
    try:
        result = ReadResult.model_validate_json(box.run(read_job, ReadJob(hostile.text_bomb(variant), caps)))
    finally:
        box.close()
    page = result.pages[0]
    assert page.truncated
    assert 0 < len(page.text) <= caps.max_chars
    assert len(page.words) <= caps.max_words
