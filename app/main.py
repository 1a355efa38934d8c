"""The FastAPI application: `create_app()` and its lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from app.api import documents, exports, health, journal, keys, mail, metrics, scans
from app.api import review as review_api
from app.api.params import refuse_nul
from app.config import Settings, get_settings
from app.db import get_sessionmaker
from app.errors import KontorError
from app.ops.http import HSTSMiddleware
from app.review import routes as review
from app.review import web as review_web
from app.worker import Queue, create_queue, embedded_consumer, recover_on_start

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None, *, queue: Queue | None = None, run_consumer: bool = False
) -> FastAPI:
    """The API. With `run_consumer` the queue's consumer runs in this process (`kontor serve`)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        consumer = None
        if run_consumer:
            consumer = embedded_consumer(app.state.queue, settings)
            consumer.start()
            recovered = recover_on_start(settings, app.state.queue)
            if recovered:
                log.info("queued %d documents left unfinished by the last run", recovered)
        try:
            yield
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)

    app = FastAPI(
        title="Kontor",
        version="0.1.0",
        description="On-premise invoice processing: extraction, validation and booking.",
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul)],
    )
    app.state.settings = settings
    app.state.sessionmaker = get_sessionmaker(settings.resolved_database_url)
    app.state.queue = queue or create_queue(settings)
    app.add_exception_handler(KontorError, _kontor_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # The order is the OpenAPI document's; each module has one `router`.
    for module in (health, documents, scans, keys, mail, review_api, journal, exports, metrics, review):
        app.include_router(module.router)
    app.mount(review_web.STATIC_PATH, review_web.static_files(), name=review_web.STATIC_NAME)
    if settings.tls.hsts_seconds:
        app.add_middleware(HSTSMiddleware, max_age=settings.tls.hsts_seconds)
    return app


async def _kontor_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KontorError)
    if review_web.is_page_request(request):
        return review_web.error_page(request, exc)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(
        {"error": exc.error, "detail": exc.message}, status_code=exc.status_code, headers=headers
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    error = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse({"error": error, "detail": str(exc.detail)}, status_code=exc.status_code)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return JSONResponse({"error": "invalid_request", "detail": detail}, status_code=422)
