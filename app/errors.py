"""Kontor's error hierarchy. One handler in `app.main` turns each into `{"error", "detail"}`.

KontorError (500)
├── NotFoundError (404)
├── ConflictError (409)
│   └── IllegalTransitionError (409)
├── AuthError (401)
│   └── ForbiddenError (403)
├── BadRequestError (400)      a parameter that is well-typed but not acceptable (a foreign cursor)
├── TooManyRequestsError (429) too many failed logins; carries `retry_after` seconds
├── UploadError (400)
│   ├── EmptyUploadError (400)
│   ├── CorruptDocumentError (400)
│   ├── UnsupportedMediaError (415)
│   └── TooLargeError (413)
├── EInvoiceError (400)        invalid or hostile e-invoice XML
├── ModelError (503)           a model backend failed or is unreachable
└── ConfigurationError (500)
"""

from __future__ import annotations


class KontorError(Exception):
    status_code: int = 500
    error: str = "internal_error"

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class NotFoundError(KontorError):
    status_code = 404
    error = "not_found"


class ConflictError(KontorError):
    status_code = 409
    error = "conflict"


class IllegalTransitionError(ConflictError):
    error = "illegal_transition"


class AuthError(KontorError):
    status_code = 401
    error = "unauthorized"


class ForbiddenError(AuthError):
    status_code = 403
    error = "forbidden"


class BadRequestError(KontorError):
    status_code = 400
    error = "bad_request"


class TooManyRequestsError(KontorError):
    status_code = 429
    error = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        #: Seconds until a new attempt can succeed (the `Retry-After` header).
        self.retry_after = retry_after


class UploadError(KontorError):
    status_code = 400
    error = "bad_upload"


class EmptyUploadError(UploadError):
    error = "empty_file"


class CorruptDocumentError(UploadError):
    error = "corrupt_document"


class UnsupportedMediaError(UploadError):
    status_code = 415
    error = "unsupported_media_type"


class TooLargeError(UploadError):
    status_code = 413
    error = "too_large"


class EInvoiceError(KontorError):
    status_code = 400
    error = "invalid_einvoice"


class ModelError(KontorError):
    status_code = 503
    error = "model_unavailable"


class ConfigurationError(KontorError):
    error = "configuration_error"
