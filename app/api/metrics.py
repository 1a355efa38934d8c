"""`GET /metrics`: Prometheus text format, behind its own bearer token (`KONTOR_METRICS_TOKEN`)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from app.errors import AuthError, NotFoundError
from app.ops.metrics import KontorCollector

router = APIRouter(tags=["monitoring"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The installation's figures; 404 while no token is configured, 401 for a wrong one."""
    expected = request.app.state.settings.monitoring.metrics_token
    if not expected:
        raise NotFoundError("Metrics are off; set KONTOR_METRICS_TOKEN to switch them on.")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise AuthError("A valid metrics token is required.")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(KontorCollector(request.app.state.sessionmaker, request.app.state.queue))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
