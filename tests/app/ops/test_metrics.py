from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from huey import MemoryHuey
from prometheus_client.parser import text_string_to_metric_families

from app.db import get_sessionmaker, session_scope
from app.main import create_app
from app.models import Status, utcnow
from app.ops.models import OpsKind
from app.ops.runs import record_run
from app.pipeline.orchestrator import Pipeline
from app.pipeline.state import PipelineState, StepOutput
from app.worker import create_queue
from tests.app.ops.factories import populate
from tests.conftest import make_settings
from tests.factories import create_document, text_pdf


class AskingStep:
    """A step that asks the model twice and sends the document to review."""

    name = "asking"

    def applies(self, state: PipelineState) -> bool:
        return True

    def run(self, state: PipelineState) -> StepOutput:
        return StepOutput(model_questions=2, stop_with=Status.NEEDS_REVIEW, stop_reason="test")


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def test_metrics_are_scraped_behind_their_token(tmp_path: Path, live_database_url: str) -> None:
    populate(live_database_url)
    factory = get_sessionmaker(live_database_url)
    with session_scope(factory) as session:
        document_id = create_document(session, data=text_pdf("Rechnung 7")).id
    Pipeline(factory, [AskingStep()]).process(document_id)
    settings = make_settings(tmp_path, live_database_url, metrics_token="scrape-me")
    record_run(settings, OpsKind.BACKUP, ok=True, summary={}, started_at=utcnow())
    record_run(settings, OpsKind.MAIL, ok=True, summary={}, started_at=utcnow())
    app = create_app(settings, queue=create_queue(settings, MemoryHuey("metrics-test", immediate=False)))

    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        response = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert response.status_code == 200

    found = samples(response.text)
    assert found[("kontor_documents", (("status", "needs_review"),))] == 2
    assert found[("kontor_documents", (("status", "booked"),))] == 0  # posted, but still `processing`
    assert found[("kontor_documents", (("status", "received"),))] == 1
    assert found[("kontor_step_seconds_count", (("step", "asking"),))] == 1
    assert found[("kontor_step_seconds_sum", (("step", "asking"),))] >= 0
    assert found[("kontor_model_questions_sum", (("step", "asking"),))] == 2
    assert found[("kontor_review_queue_size", ())] == 2
    assert 0 <= found[("kontor_last_backup_age_seconds", ())] < 3600
    assert found[("kontor_integrity_ok", ())] == -1
    assert found[("kontor_mail_runs", (("ok", "true"),))] == 1
    assert found[("kontor_mail_runs", (("ok", "false"),))] == 0
    assert found[("kontor_mail_last_run_age_seconds", ())] >= 0
    assert found[("kontor_queue_depth", ())] == 0
    assert found[("kontor_pipeline_oldest_seconds", ())] >= 0


def test_metrics_are_off_without_a_token(tmp_path: Path, live_database_url: str) -> None:
    settings = make_settings(tmp_path, live_database_url)
    app = create_app(settings, queue=create_queue(settings, MemoryHuey("metrics-off", immediate=False)))
    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 404
