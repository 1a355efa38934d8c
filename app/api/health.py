"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from schemas.api import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up: answered on the event loop itself, so it shows whether the loop is free."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request) -> JSONResponse:
    """The database and the queue are reachable (else 503); `degraded` names what needs an admin."""
    checks = {"database": _check_database(request), "queue": _check_queue(request)}
    ok = all(v == "ok" for v in checks.values())
    if ok:
        checks |= _check_operations(request)
    degraded = any(v.startswith("degraded") for v in checks.values())
    body = Health(status="unavailable" if not ok else "degraded" if degraded else "ok", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


def _check_database(request: Request) -> str:
    try:
        with request.app.state.sessionmaker() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_queue(request: Request) -> str:
    try:
        request.app.state.queue.huey.pending_count()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_operations(request: Request) -> dict[str, str]:
    from app.ops.health import degraded_checks

    try:
        with request.app.state.sessionmaker() as session:
            return degraded_checks(session, request.app.state.settings)
    except Exception as exc:  # a broken check must not hide that the service itself is up
        return {"operations": f"degraded: {type(exc).__name__}"}
