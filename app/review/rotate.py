"""Turning a page from the review page: stored, audited, and the document read again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from app.api.params import Id
from app.errors import NotFoundError
from app.models import Document
from app.review.deps import CheckedLogin, PageUow
from app.review.web import PREFIX, redirect
from app.scans.rotation import turn_page

router = APIRouter()


@router.post("/documents/{document_id}/pages/{number}/rotate")
def rotate_page(
    request: Request,
    document_id: Id,
    number: int,
    uow: PageUow,
    login: CheckedLogin,
    turn: Annotated[int, Form()],
) -> Response:
    """Turn the page as shown by `turn` degrees clockwise (90, 180, 270) and read the document again."""
    document = uow.session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"No document with id {document_id}.")
    turn_page(uow, document, number, turn, actor=login.actor, queue=request.app.state.queue)
    return redirect(f"{PREFIX}/documents/{document_id}?notice=rotated")
