"""An e-invoice without a PDF is shown as a readable invoice, each value with its XML path."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy.orm import Session, sessionmaker

from app.models import Status
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps.einvoice import EInvoiceStep
from app.pipeline.steps.read import ReadStep
from app.pipeline.stored import current_invoice
from app.review.models import User
from tests.app.review.conftest import log_in
from tests.corpus import corpus_dir
from tests.factories import create_document


@pytest.fixture
def csrf(client: TestClient, reviewer_user: User) -> str:
    return log_in(client, "rita")


def test_an_xml_only_invoice_is_rendered_with_its_xml_paths(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], csrf: str
) -> None:
    path = sorted((corpus_dir() / "xml").glob("*.xml"))[0]
    document = create_document(session, data=path.read_bytes(), filename=path.name)
    Pipeline(session_factory, [ReadStep(), EInvoiceStep()]).process(document.id)
    session.refresh(document)
    document.status = Status.NEEDS_REVIEW
    session.flush()
    invoice = current_invoice({r.step: r.data for r in document.results})
    assert invoice is not None
    assert invoice.seller_name is not None
    page = client.get(f"/review/documents/{document.id}")
    assert page.status_code == 200
    assert 'id="xml-invoice"' in page.text
    assert str(escape(invoice.seller_name)) in page.text
    assert str(escape(invoice.fields["gross_total"].source)) in page.text
    for item in invoice.line_items[:3]:
        assert str(escape(item.description or "")) in page.text
