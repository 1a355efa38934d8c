"""schemathesis over the OpenAPI description: no server error and every answer as documented.

Bounded and deterministic: a fixed number of generated requests per operation, derandomized, against
the app in-process with an admin key, on SQLite and PostgreSQL. A flagged invoice and a posted entry
are made for each operation; an operation with an id runs once with generated ids and once pinned to
them, so generated bodies reach the handlers' real work, not only their 404s. Failures of all
operations are collected.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation
from sqlalchemy.orm import Session, sessionmaker

from agents.booking import propose
from app.config import Settings
from app.journal.posting import post_booking
from app.main import create_app
from app.worker import Queue
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 25
Operation = APIOperation[Any, Any, Any, Any]


def seed(session: Session) -> dict[str, int]:
    """A document waiting for review and a posted entry: the ids pinned runs use."""
    flagged = create_invoice_document(session, invoice=make_invoice(number="FUZZ-1"))
    invoice = make_invoice(number="FUZZ-2", seller="Hotel Adler", vat_id="DE222222222")
    posted = post_booking(
        session, create_invoice_document(session, invoice=invoice), propose(invoice, skr03_policy()), "test"
    )
    session.flush()
    return {"document_id": flagged.id, "entry_id": posted.id}


def run(operation: Operation, mode: GenerationMode, headers: dict[str, str], pinned: dict[str, int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Case[Any]) -> None:
        case.call_and_validate(headers=dict(headers), checks=CHECKS)

    check()


def runs(operation: Operation, ids: dict[str, int]) -> list[dict[str, int]]:
    pinned = {name: ids[name] for name in ids if f"{{{name}}}" in operation.path}
    return [{}, pinned] if pinned else [{}]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_the_api_answers_as_documented(
    settings: Settings,
    memory_queue: Queue,
    session_factory: sessionmaker[Session],
    session: Session,
    admin: dict[str, str],
    mode: GenerationMode,
) -> None:
    app = create_app(settings, queue=memory_queue)
    app.state.sessionmaker = session_factory
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        # Fresh rows for each operation: an earlier one (reprocess, reject) may have moved the last ones on.
        for pinned in runs(operation, seed(session)):
            try:
                run(operation, mode, admin, pinned)
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE, operation.label  # nothing in it can be made invalid
            except (Exception, BaseExceptionGroup) as exc:  # a server error escapes the test client
                failures.append(f"{operation.label} {pinned}: {_details(exc)}")
    assert not failures, "\n\n".join(failures)


def _details(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return f"{exc}\n" + "\n".join(_details(sub) for sub in exc.exceptions)
    return f"{type(exc).__name__}: {exc}"
