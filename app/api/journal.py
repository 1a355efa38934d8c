"""/v1/journal: the posted entries as JSON, for any ERP (DATEV exports: `app.api.exports`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.params import AUTH_ERRORS, errors
from app.deps import Reviewer, SessionDep
from app.journal.exports import entries_between, entry_read, reversals_of
from schemas.booking import JournalPage

router = APIRouter(tags=["journal"], responses=AUTH_ERRORS)

From = Annotated[date, Query(alias="from", description="First document date (Belegdatum), inclusive")]
To = Annotated[date, Query(alias="to", description="Last document date, inclusive")]


@router.get("/v1/journal", response_model=JournalPage, responses=errors(400))
def journal(date_from: From, date_to: To, session: SessionDep, _principal: Reviewer) -> JournalPage:
    """Every entry dated in the range, with its lines; reversed entries name their reversal."""
    entries = entries_between(session, date_from, date_to)
    reversed_by = reversals_of(session, [e.id for e in entries])
    return JournalPage(items=[entry_read(e, reversed_by.get(e.id)) for e in entries])
