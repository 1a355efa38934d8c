"""The steps of the pipeline, one module each, and their order: the one list both the service and the
command line run (read → einvoice → extract → crosscheck → ocr → validate → book)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session, sessionmaker

from agents.base import Backend
from agents.booking import AccountModel
from app.config import Settings
from app.db import OwnSession
from app.learning.model import CurrentModel
from app.learning.store import ModelStore
from app.pipeline.state import Step, StepName
from app.pipeline.steps.book import build_book_step
from app.pipeline.steps.crosscheck import CrossCheckStep
from app.pipeline.steps.einvoice import EInvoiceStep
from app.pipeline.steps.extract import ExtractStep
from app.pipeline.steps.ocr import OcrTrustStep
from app.pipeline.steps.read import Reader, ReadStep, ocr_config, sandbox_limits, text_caps
from app.pipeline.steps.validate import ValidateStep, build_validation_agent
from app.vendors.directory import approved_invoice_count

#: The order the steps run in.
STEP_ORDER: tuple[StepName, ...] = (
    StepName.READ,
    StepName.EINVOICE,
    StepName.EXTRACT,
    StepName.CROSSCHECK,
    StepName.OCR,
    StepName.VALIDATE,
    StepName.BOOK,
)


def build_steps(
    settings: Settings,
    backend: Backend | None,
    factory: sessionmaker[Session] | None,
    *,
    only: Collection[StepName] = STEP_ORDER,
    reader: Reader | None = None,
) -> list[Step]:
    """The steps named in `only`, in `STEP_ORDER`.

    `factory` is the database the validation (history, vendors) and booking steps read; without one
    the validation skips duplicate and vendor checks, and there is no booking step. `reader` replaces
    the sandboxed reader (the command line reads in-process).
    """
    built: list[Step] = []
    for name in STEP_ORDER:
        if name not in only or (name == StepName.BOOK and factory is None):
            continue
        built.append(_build(name, settings, backend, factory, reader))
    return built


def _build(
    name: StepName,
    settings: Settings,
    backend: Backend | None,
    factory: sessionmaker[Session] | None,
    reader: Reader | None,
) -> Step:
    if name == StepName.READ:
        return ReadStep(
            sandbox_limits(settings.sandbox),
            text_caps(settings.limits),
            ocr=ocr_config(settings.ocr),
            reader=reader,
        )
    if name == StepName.EINVOICE:
        return EInvoiceStep()
    if name == StepName.EXTRACT:
        models = CurrentModel(ModelStore(settings.models_dir))
        return ExtractStep(backend, company=(settings.company_name, settings.company_vat_id), models=models)
    if name == StepName.CROSSCHECK:
        return CrossCheckStep()
    if name == StepName.OCR:
        return OcrTrustStep(
            settings.ocr.trusted_after, OwnSession(factory, approved_invoice_count) if factory else None
        )
    if name == StepName.VALIDATE:
        return ValidateStep(build_validation_agent(settings.validation, backend, factory))
    assert factory is not None  # build_steps() leaves the booking step out without a database
    model = AccountModel(backend) if backend is not None else None
    return build_book_step(settings, model, factory)
