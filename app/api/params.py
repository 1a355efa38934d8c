"""What every router shares at its edge: valid ids, keyset cursors, and the documented error responses.

An id outside the database's 64-bit signed integer range never reaches a query (SQLite and psycopg
would fail on it with a 500): path ids are checked by FastAPI (422), cursors by `decode_cursor` (400).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import Path

from app.errors import BadRequestError
from schemas.api import ErrorRead

#: The largest id a BIGINT (PostgreSQL) or INTEGER (SQLite) column holds.
MAX_ID = 2**63 - 1

#: A row id in a path: 1 to 2**63 - 1, anything else is a 422 before the handler runs.
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The row's id, 1 to 2^63-1")]

_DESCRIPTIONS = {
    400: "The request is not valid (bad cursor, value or file).",
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
AUTH_ERRORS = errors(401, 403, 422)


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


def _bad_cursor() -> BadRequestError:
    return BadRequestError("The cursor is not valid; use `next_cursor` from the previous page.")
