"""Our company's identity reaches the extraction agent through the pipeline's extract step."""

from __future__ import annotations

from pathlib import Path

from agents.fake import FakeBackend
from app.pipeline.state import PipelineState, StepName
from app.pipeline.steps import build_steps
from app.pipeline.steps.extract import ExtractStep
from tests.agents.extraction.factories import make_read
from tests.conftest import make_settings

PAGE = """
Alpha Montage GmbH | Beta Bau GmbH
Rechnungsnummer: 55-1 | USt-IdNr. DE136695976
Rechnungsdatum: 02.05.2024
"""


def _extract_step(tmp_path: Path, database_url: str, **company: str) -> ExtractStep:
    settings = make_settings(tmp_path, database_url, **company)
    (step,) = build_steps(settings, FakeBackend(), None, only={StepName.EXTRACT})
    assert isinstance(step, ExtractStep)
    return step


def _buyer(step: ExtractStep) -> object:
    state = PipelineState(1, "x.pdf", "application/pdf", b"", read=make_read(PAGE))
    return step.run(state).stored()["invoice"]["buyer_name"]


def test_the_configured_company_is_the_buyer_on_the_page(tmp_path: Path, database_url: str) -> None:
    ours = _extract_step(
        tmp_path, database_url, company_name="Alpha Montage GmbH", company_vat_id="DE136695976"
    )
    assert ours.company == ("Alpha Montage GmbH", "DE136695976")
    assert _buyer(ours) == "Alpha Montage GmbH"


def test_without_a_company_the_page_alone_decides(tmp_path: Path, database_url: str) -> None:
    assert _extract_step(tmp_path, database_url).company == (None, None)
