"""All documents: a searchable list of every document, not only those waiting for review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Response

from app.models import Status
from app.review.archive import PAGE_SIZE, Search, search_documents
from app.review.deps import PageView
from app.review.forms import amount_input, date_input

router = APIRouter()

_TEXT = ("text", "vendor", "number")
_AMOUNTS = ("amount_min", "amount_max")
_DATES = ("issued_from", "issued_to", "received_from", "received_to")


@router.get("/documents")
def all_documents(on: PageView) -> Response:
    """Every document, newest first; each filter is optional. A value that is not understood is said so."""
    raw = {
        name: on.request.query_params.get(name, "").strip() for name in (*_TEXT, *_AMOUNTS, *_DATES, "status")
    }
    search, problems = parse_search(raw)
    rows = search_documents(on.uow.session, search) if not problems else []
    return on.page(
        "documents.html",
        rows=rows,
        form=raw,
        problems=problems,
        statuses=[s.value for s in Status],
        searched=search.active,
        page_size=PAGE_SIZE,
    )


def parse_search(raw: dict[str, str]) -> tuple[Search, list[str]]:
    problems: list[str] = []
    status = raw["status"]
    if status and status not in {s.value for s in Status}:
        problems.append(f"{status} is not a status.")
    search = Search(
        text=raw["text"],
        vendor=raw["vendor"],
        number=raw["number"],
        status=Status(status) if status in {s.value for s in Status} else None,
        amount_min=_amount(raw["amount_min"], problems),
        amount_max=_amount(raw["amount_max"], problems),
        issued_from=_date(raw["issued_from"], problems),
        issued_to=_date(raw["issued_to"], problems),
        received_from=_date(raw["received_from"], problems),
        received_to=_date(raw["received_to"], problems),
    )
    return search, problems


def _amount(value: str, problems: list[str]) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(amount_input(value))
    except InvalidOperation:
        problems.append(f"{value} is not an amount.")
        return None


def _date(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(date_input(value))
    except ValueError:
        problems.append(f"{value} is not a date (write it as 31.01.2025).")
        return None
