"""What every router shares at its edge: valid ids, keyset cursors, bounded uploads, the documented errors.

An id outside the range of the id columns never reaches a query (SQLite and psycopg would fail on it
with a 500): path ids are checked by FastAPI (422), cursors by `decode_cursor` (400).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from contextlib import suppress
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request, UploadFile
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import BadRequestError, EmptyUploadError, TooLargeError
from schemas.api import ErrorRead

M = TypeVar("M")

#: The largest id the id columns hold everywhere: they are INTEGER, 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1

#: A row id in a path: 1 to MAX_ID, anything else is a 422 before the handler runs.
Id = Annotated[int, Path(ge=1, le=MAX_ID, description=f"The row's id, 1 to {MAX_ID}")]

#: How many rows one page of a keyset-paginated list holds: 1 to 200.
PageSize = Annotated[int, Query(ge=1, le=200)]

_DESCRIPTIONS = {
    400: "The request is not valid: a body that is not JSON, a foreign cursor, a bad value or file.",
    401: "No valid API key (`Authorization: Bearer <key>`).",
    403: "The key's role may not do this.",
    404: "There is no such resource.",
    409: "The resource is not in a state that allows this.",
    413: "The file is larger than the upload limit.",
    415: "The file is neither a PDF nor an e-invoice XML.",
    422: "The parameters or the body do not match the schema.",
    429: "Too many attempts; wait the seconds `Retry-After` says.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these status codes, each in the one error shape `{"error", "detail"}`."""
    return {code: {"model": ErrorRead, "description": _DESCRIPTIONS[code]} for code in codes}


#: What every authenticated operation can answer besides its own errors.
AUTH_ERRORS = errors(400, 401, 403, 422)


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(str(row_id).encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The id a cursor stands for; a cursor that was not made by `encode_cursor` is a 400."""
    try:
        row_id = int(base64.urlsafe_b64decode(cursor.encode()).decode(), 10)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise _bad_cursor() from exc
    if not 1 <= row_id <= MAX_ID:
        raise _bad_cursor()
    return row_id


def where_equal(query: Select[M], **values: object) -> Select[M]:
    """`query` narrowed to the rows whose columns hold the values given; a None value narrows nothing."""
    return query.filter_by(**{name: value for name, value in values.items() if value is not None})


def keyset_page(
    session: Session,
    query: Select[M],
    id_column: InstrumentedAttribute[int],
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[M], str | None]:
    """One page of `query`'s rows, highest id first, after the `cursor` row; and the next page's cursor."""
    query = query.order_by(id_column.desc()).limit(limit + 1)
    if cursor:
        query = query.where(id_column < decode_cursor(cursor))
    rows = list(session.scalars(query))
    next_cursor = encode_cursor(getattr(rows[limit - 1], id_column.key)) if len(rows) > limit else None
    return rows[:limit], next_cursor


def read_limited(file: UploadFile, max_bytes: int, *, limit: str) -> bytes:
    """The uploaded file's bytes; larger than `max_bytes` (said as `limit`) or empty is refused."""
    # Read one byte past the limit so an oversized file is refused without reading all of it.
    data = file.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLargeError(f"The file is larger than the limit of {limit}.")
    if not data:
        raise EmptyUploadError("The file is empty.")
    return data


def _bad_cursor() -> BadRequestError:
    return BadRequestError("The cursor is not valid; use `next_cursor` from the previous page.")


async def refuse_nul(request: Request) -> None:
    """PostgreSQL text holds no U+0000: a request that carries one is a 400 before it reaches a query.

    Checked once for every route: the path, the query and JSON or form bodies (uploads keep their
    bytes; their file names are cleaned at ingest).
    """
    if any("\x00" in text for text in await _request_texts(request)):
        raise BadRequestError("Text may not contain the NUL character (U+0000).")


async def _request_texts(request: Request) -> list[str]:
    texts = [request.url.path, *request.query_params.keys(), *request.query_params.values()]
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if b"\\u0000" in body.lower():  # the only way JSON spells NUL; anything else needs no parsing
            with suppress(ValueError):  # not JSON: FastAPI answers that itself
                texts.extend(_strings(json.loads(body)))
    elif content_type.startswith("application/x-www-form-urlencoded"):
        # The form FastAPI has parsed already (its stream is read once; `form()` keeps the result).
        form = await request.form()
        texts.extend(text for pair in form.multi_items() for text in pair if isinstance(text, str))
    return texts


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
