"""Learning from corrections, end to end on SQLite and PostgreSQL: a reviewer corrects and approves a
vendor's invoices through the review API, `kontor train` learns from them, and the vendor's next
invoice comes out of the pipeline right where the shipped model read it wrong. A model that reads
worse is refused, a rollback restores the previous one, and the nightly task runs the same training."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from huey import MemoryHuey

from agents.extraction.agent import ExtractionAgent
from agents.extraction.scorer import FieldScorer
from agents.fake import FakeBackend
from agents.reading import read_pdf
from app.db import get_sessionmaker, session_scope
from app.learning.model import load_model
from app.learning.schedule import scheduled_retrain
from app.learning.store import SCORER_FILE, ModelStore
from app.learning.train import retrain
from app.main import create_app
from app.models import Role, Status
from app.worker import create_queue
from bench.synth import render
from bench.synth.vendor import vendor_invoices
from tests.app.learning.factories import Installation, small_corpus, truth_of, wrong_fields
from tests.app.test_cli import kontor
from tests.conftest import make_settings
from tests.factories import create_api_key

#: Synthetic vendors (a number picks a seed range, never a value): the first is one whose fourth
#: invoice the shipped model reads partly wrong, the second one whose third it reads right.
MISREAD_VENDOR = 3
WELL_READ_VENDOR = 1
LOCALE = "de"


@pytest.fixture
def installation(tmp_path: Path, live_database_url: str) -> Iterator[Installation]:
    # The scorer's retraining has a test of its own: two corpus files would make a poor scorer here.
    learning = {"corpus_dirs": [small_corpus(tmp_path / "corpus")], "retrain_scorer": False}
    settings = make_settings(tmp_path, live_database_url, learning=learning)
    factory = get_sessionmaker(live_database_url)
    with session_scope(factory) as session:
        key = create_api_key(session, role=Role.REVIEWER)
    app = create_app(settings, queue=create_queue(settings, MemoryHuey("learning-test", immediate=False)))
    with TestClient(app) as client:
        yield Installation(settings, factory, client, {"Authorization": f"Bearer {key}"})


def cli_env(installation: Installation) -> dict[str, str]:
    settings = installation.settings
    corpus = ",".join(f'"{d}"' for d in settings.learning.corpus_dirs)
    return {
        "KONTOR_DATABASE_URL": settings.resolved_database_url,
        "KONTOR_DATA_DIR": str(settings.data_dir),
        "KONTOR_MODEL__BACKEND": "fake",
        "KONTOR_LEARNING__CORPUS_DIRS": f"[{corpus}]",
        "KONTOR_LEARNING__RETRAIN_SCORER": "false",
    }


def test_corrected_invoices_of_a_vendor_teach_its_next_invoice(installation: Installation) -> None:
    *earlier, upcoming = vendor_invoices(MISREAD_VENDOR, 4, locale=LOCALE)
    shipped = ExtractionAgent(FakeBackend()).extract(read_pdf(render(upcoming))).invoice
    misread = wrong_fields(shipped, truth_of(upcoming))
    assert misread, "the test needs an invoice the shipped model reads partly wrong"
    for invoice in earlier:
        document_id = installation.receive(invoice)
        assert installation.status(document_id) == Status.NEEDS_REVIEW
        installation.review(document_id, truth_of(invoice))
    trained = kontor("train", env=cli_env(installation))
    assert trained.returncode == 0, trained.stderr
    assert "accepted" in trained.stdout
    assert "held-back invoices" in trained.stdout
    assert "corpus" in trained.stdout
    document_id = installation.receive(upcoming)
    assert wrong_fields(installation.extracted(document_id), truth_of(upcoming), misread) == []
    status = kontor("train", "--status", env=cli_env(installation))
    assert "v0001" in status.stdout
    assert "current" in status.stdout


def test_a_model_that_reads_worse_is_refused(installation: Installation) -> None:
    dated = [i for i in vendor_invoices(WELL_READ_VENDOR, 8, locale=LOCALE) if i.due_date is not None]
    first, second, third = dated[:3]
    shipped = ExtractionAgent(None).extract(read_pdf(render(third))).invoice
    assert not wrong_fields(shipped, truth_of(third), ("issue_date", "due_date", "invoice_number"))
    for invoice in (first, second):
        # A careless reviewer swaps the dates: the memory learns the dates' places the wrong way round.
        truth = truth_of(invoice)
        assert truth.due_date is not None
        swapped = truth.model_copy(update={"issue_date": truth.due_date, "due_date": truth.issue_date})
        installation.review(installation.receive(invoice), swapped)
    installation.review(installation.receive(third), truth_of(third))
    manifest = retrain(installation.settings, installation.factory)
    assert manifest.accepted is False
    assert manifest.held_back_new.right < manifest.held_back_old.right
    assert manifest.corpus_new.scored > 0
    store = ModelStore(installation.settings.models_dir)
    assert store.versions() == ["v0001"]
    assert store.current() is None  # the shipped model stays


def test_rollback_restores_the_previous_model(installation: Installation) -> None:
    for vendor in (MISREAD_VENDOR, WELL_READ_VENDOR):
        for invoice in vendor_invoices(vendor, 2, locale=LOCALE):
            installation.review(installation.receive(invoice), truth_of(invoice))
        assert retrain(installation.settings, installation.factory).accepted
    store = ModelStore(installation.settings.models_dir)
    assert store.current() == "v0002"
    rolled = kontor("train", "--rollback", env=cli_env(installation))
    assert rolled.returncode == 0, rolled.stderr
    assert "v0001" in rolled.stdout
    assert store.current() == "v0001"


def test_the_nightly_task_runs_the_same_training(installation: Installation) -> None:
    settings = installation.settings
    assert settings.learning.schedule
    huey = create_queue(settings, MemoryHuey("nightly-test", immediate=False)).huey
    for invoice in vendor_invoices(WELL_READ_VENDOR, 2, locale=LOCALE):
        installation.review(installation.receive(invoice), truth_of(invoice))
    local = datetime(2026, 12, 1, 4, 0)  # the default schedule, in the machine's local time
    (task,) = [
        t for t in huey.read_periodic(local.astimezone(UTC).replace(tzinfo=None)) if t.name == "retrain"
    ]
    assert huey.execute(task) is True
    store = ModelStore(settings.models_dir)
    assert store.current() == "v0001"
    manifest = store.manifest("v0001")
    assert len(manifest.trained_on) == 1
    assert len(manifest.held_back) == 1
    again = scheduled_retrain(settings)
    assert again is not None
    assert again.version == "v0002"


def test_the_field_scorer_is_retrained_with_the_corpus_and_the_approved_invoices(
    installation: Installation,
) -> None:
    settings = installation.settings.model_copy(
        update={"learning": installation.settings.learning.model_copy(update={"retrain_scorer": True})}
    )
    for invoice in vendor_invoices(WELL_READ_VENDOR, 2, locale=LOCALE):
        installation.review(installation.receive(invoice), truth_of(invoice))
    manifest = retrain(settings, installation.factory)
    store = ModelStore(settings.models_dir)
    assert (store.path(manifest.version) / SCORER_FILE).is_file()
    model = load_model(store, manifest.version)
    assert isinstance(model.scorer, FieldScorer)
    assert manifest.corpus_new.scored == manifest.corpus_old.scored > 0
