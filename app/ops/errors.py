"""Errors of the operations commands, in `app.errors`' hierarchy.

KontorError
├── BackupError (500)          an archive cannot be written, read or verified
│   └── RestoreRefusedError (409)  the target is not empty (use --force)
├── RetentionError (409)       a deletion inside the statutory retention period
└── UpgradeError (409)         the database is from a newer Kontor
"""

from __future__ import annotations

from app.errors import ConflictError, KontorError


class BackupError(KontorError):
    error = "backup_failed"


class RestoreRefusedError(BackupError):
    status_code = 409
    error = "restore_refused"


class RetentionError(ConflictError):
    error = "retention_period"


class UpgradeError(ConflictError):
    error = "unknown_schema_version"
