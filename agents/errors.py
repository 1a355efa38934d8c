"""The agents' errors: the part of Kontor's error hierarchy that agents raise.

`app.errors` re-exports them and adds the service's own (not found, conflict, auth, ...). Each error
names the HTTP status the API answers it with and the `FailureCode` a document gets when the error ends
its processing.

KontorError (500)                          internal
├── UploadError (400)
│   ├── EmptyUploadError (400)             empty
│   ├── CorruptDocumentError (400)         corrupt
│   │   └── EncryptedDocumentError (400)   encrypted
│   ├── InvalidXmlError (400)              corrupt: malformed, DOCTYPE, too deeply nested
│   └── ResourceLimitError (400)           resource_limit: a decompression bomb, the sandbox's memory cap
├── EInvoiceError (400)                    corrupt: invalid or hostile e-invoice XML
├── ModelError (503)                       model_unavailable
└── ConfigurationError (500)               internal
"""

from __future__ import annotations

import enum


class FailureCode(enum.StrEnum):
    """Why a document ended `failed`: a small closed set, each with a message a person understands."""

    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    CRASHED = "crashed"
    ATTEMPTS_EXHAUSTED = "attempts_exhausted"
    MODEL_UNAVAILABLE = "model_unavailable"
    INTERNAL = "internal"

    @property
    def message(self) -> str:
        return FAILURE_MESSAGES[self]


FAILURE_MESSAGES: dict[FailureCode, str] = {
    FailureCode.EMPTY: "The file is empty.",
    FailureCode.CORRUPT: "The file is damaged or malformed and cannot be read.",
    FailureCode.ENCRYPTED: "The PDF is protected by a password; upload it unprotected.",
    FailureCode.UNSUPPORTED: "The file is not a PDF invoice, a scan (PNG, JPEG, TIFF) or an e-invoice XML.",
    FailureCode.TOO_LARGE: "The file is larger than the upload limit.",
    FailureCode.TOO_MANY_PAGES: "The document has more pages than the page limit.",
    FailureCode.TIMEOUT: "Reading the file took longer than the time limit; it was stopped.",
    FailureCode.RESOURCE_LIMIT: "Reading the file needed more memory or decoded data than the limit allows.",
    FailureCode.CRASHED: "The reader crashed on this file (damaged or hostile); it was stopped.",
    FailureCode.ATTEMPTS_EXHAUSTED: "Processing was interrupted too many times; it is not tried again.",
    FailureCode.MODEL_UNAVAILABLE: "The model backend failed or could not be reached.",
    FailureCode.INTERNAL: "Kontor failed on this document (an internal error; see the log).",
}


class KontorError(Exception):
    """The root. A subclass names what differs from its parent as class keywords:
    `class EmptyUploadError(UploadError, error="empty_file", failure_code=FailureCode.EMPTY)`."""

    status_code: int = 500
    error: str = "internal_error"
    failure_code: FailureCode = FailureCode.INTERNAL

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code

    def __init_subclass__(
        cls,
        *,
        error: str | None = None,
        status_code: int | None = None,
        failure_code: FailureCode | None = None,
        **kwargs: object,
    ) -> None:
        super().__init_subclass__(**kwargs)
        given = {"error": error, "status_code": status_code, "failure_code": failure_code}
        for name, value in given.items():
            if value is not None:
                setattr(cls, name, value)


class UploadError(KontorError, error="bad_upload", status_code=400): ...


class EmptyUploadError(UploadError, error="empty_file", failure_code=FailureCode.EMPTY): ...


class CorruptDocumentError(UploadError, error="corrupt_document", failure_code=FailureCode.CORRUPT): ...


class EncryptedDocumentError(
    CorruptDocumentError, error="encrypted_document", failure_code=FailureCode.ENCRYPTED
): ...


class InvalidXmlError(UploadError, error="invalid_xml", failure_code=FailureCode.CORRUPT): ...


class ResourceLimitError(UploadError, error="resource_limit", failure_code=FailureCode.RESOURCE_LIMIT): ...


class EInvoiceError(
    KontorError, error="invalid_einvoice", status_code=400, failure_code=FailureCode.CORRUPT
): ...


class ModelError(
    KontorError, error="model_unavailable", status_code=503, failure_code=FailureCode.MODEL_UNAVAILABLE
): ...


class ConfigurationError(KontorError, error="configuration_error"): ...
