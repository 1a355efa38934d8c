"""Kontor's error hierarchy. One handler in `app.main` turns each into `{"error", "detail"}`.

The agents' part lives in `agents.errors` (the agents run without the app) and is re-exported here.

Each error also names the `FailureCode` a document gets when the error ends its processing.

KontorError (500)                          internal
├── NotFoundError (404)
├── ConflictError (409)
│   └── IllegalTransitionError (409)
├── AuthError (401)
│   └── ForbiddenError (403)
├── BadRequestError (400)      a parameter that is well-typed but not acceptable (a foreign cursor)
├── TooManyRequestsError (429) too many failed logins; carries `retry_after` seconds
├── UploadError (400)
│   ├── EmptyUploadError (400)             empty
│   ├── CorruptDocumentError (400)         corrupt
│   │   └── EncryptedDocumentError (400)   encrypted
│   ├── InvalidXmlError (400)              corrupt: malformed, DOCTYPE, too deeply nested
│   ├── UnsupportedMediaError (415)        unsupported
│   ├── TooLargeError (413)                too_large
│   ├── TooManyPagesError (400)            too_many_pages
│   └── ResourceLimitError (400)           resource_limit: a decompression bomb, the sandbox's memory cap
├── EInvoiceError (400)                    corrupt: invalid or hostile e-invoice XML
├── ProcessingTimeoutError (500)           timeout: the sandbox's wall-time limit
├── ReaderCrashError (500)                 crashed: the reading child process died
├── AttemptsExhaustedError (500)           attempts_exhausted
├── ModelError (503)                       model_unavailable
└── ConfigurationError (500)               internal
"""

from __future__ import annotations

from agents.errors import (
    FAILURE_MESSAGES,
    ConfigurationError,
    CorruptDocumentError,
    EInvoiceError,
    EmptyUploadError,
    EncryptedDocumentError,
    FailureCode,
    InvalidXmlError,
    KontorError,
    ModelError,
    ResourceLimitError,
    UploadError,
)

__all__ = [
    "FAILURE_MESSAGES",
    "AttemptsExhaustedError",
    "AuthError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "CorruptDocumentError",
    "EInvoiceError",
    "EmptyUploadError",
    "EncryptedDocumentError",
    "FailureCode",
    "ForbiddenError",
    "IllegalTransitionError",
    "InvalidXmlError",
    "KontorError",
    "ModelError",
    "NotFoundError",
    "ProcessingTimeoutError",
    "ReaderCrashError",
    "ResourceLimitError",
    "TooLargeError",
    "TooManyPagesError",
    "TooManyRequestsError",
    "UnsupportedMediaError",
    "UploadError",
]


class NotFoundError(KontorError, error="not_found", status_code=404): ...


class ConflictError(KontorError, error="conflict", status_code=409): ...


class IllegalTransitionError(ConflictError, error="illegal_transition"): ...


class AuthError(KontorError, error="unauthorized", status_code=401): ...


class ForbiddenError(AuthError, error="forbidden", status_code=403): ...


class BadRequestError(KontorError, error="bad_request", status_code=400): ...


class TooManyRequestsError(KontorError, error="too_many_requests", status_code=429):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        #: Seconds until a new attempt can succeed (the `Retry-After` header).
        self.retry_after = retry_after


class UnsupportedMediaError(
    UploadError, error="unsupported_media_type", status_code=415, failure_code=FailureCode.UNSUPPORTED
): ...


class TooLargeError(UploadError, error="too_large", status_code=413, failure_code=FailureCode.TOO_LARGE): ...


class TooManyPagesError(UploadError, error="too_many_pages", failure_code=FailureCode.TOO_MANY_PAGES): ...


class ProcessingTimeoutError(KontorError, error="timeout", failure_code=FailureCode.TIMEOUT): ...


class ReaderCrashError(KontorError, error="reader_crashed", failure_code=FailureCode.CRASHED): ...


class AttemptsExhaustedError(
    KontorError, error="attempts_exhausted", failure_code=FailureCode.ATTEMPTS_EXHAUSTED
): ...
