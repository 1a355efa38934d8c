"""The error tree: class keywords set what differs, the rest is inherited."""

from __future__ import annotations

from agents.errors import (
    ConfigurationError,
    EInvoiceError,
    EmptyUploadError,
    EncryptedDocumentError,
    FailureCode,
    KontorError,
    UploadError,
)


def test_a_subclass_sets_what_its_keywords_name() -> None:
    assert (EmptyUploadError.status_code, EmptyUploadError.error) == (400, "empty_file")
    assert EmptyUploadError.failure_code is FailureCode.EMPTY
    assert (EInvoiceError.status_code, EInvoiceError.failure_code) == (400, FailureCode.CORRUPT)


def test_what_a_subclass_does_not_name_is_its_parents() -> None:
    assert EncryptedDocumentError.status_code == UploadError.status_code == 400
    assert ConfigurationError.status_code == KontorError.status_code == 500
    assert ConfigurationError.failure_code is FailureCode.INTERNAL
    assert UploadError.failure_code is FailureCode.INTERNAL


def test_a_subclass_with_class_attributes_keeps_them() -> None:
    class StoreFullError(UploadError):
        error = "store_full"
        status_code = 507

    assert (StoreFullError.error, StoreFullError.status_code) == ("store_full", 507)
    assert UploadError.error == "bad_upload"


def test_an_instance_may_answer_with_another_status() -> None:
    error = EmptyUploadError("nothing there", status_code=422)
    assert (error.status_code, EmptyUploadError.status_code, error.message) == (422, 400, "nothing there")
