"""Ordinary invoices never hit the limits: every file of the shared corpora passes the pre-flight
and is read in the sandbox under the default settings, without a page cut to the caps."""

from __future__ import annotations

from pathlib import Path

from agents.reading.pdf import ReadJob, read_job
from app.config import Settings
from app.documents.intake import check_upload
from app.errors import KontorError
from app.pipeline.sandbox import Sandbox
from app.pipeline.steps.read import sandbox_limits, text_caps
from schemas.document import ReadResult
from tests.corpus import corpus_dir


def corpus_files() -> list[Path]:
    root = corpus_dir()
    return sorted(
        path
        for folder in ("invoices", "xml", "real")
        for path in (root / folder).iterdir()
        if path.suffix in (".pdf", ".xml")
    )


def test_no_corpus_file_is_refused_or_fails_under_the_default_limits() -> None:
    settings = Settings(_env_file=None)
    caps = text_caps(settings.limits)
    # One warm child for the whole corpus, as a worker would use it.
    sandbox = Sandbox(sandbox_limits(settings.sandbox.model_copy(update={"max_tasks_per_child": 10_000})))
    problems: dict[str, str] = {}
    files = corpus_files()
    try:
        for path in files:
            data = path.read_bytes()
            try:
                media_type = check_upload(data, max_bytes=settings.max_upload_bytes, limits=settings.limits)
                if media_type == "application/pdf":
                    result = ReadResult.model_validate_json(sandbox.run(read_job, ReadJob(data, caps)))
                    if any(page.truncated for page in result.pages):
                        problems[path.name] = "text.truncated"
            except KontorError as exc:
                problems[path.name] = f"{exc.failure_code}: {exc.message}"
    finally:
        sandbox.close()
    assert problems == {}
    assert len(files) > 250  # the three corpora are there
