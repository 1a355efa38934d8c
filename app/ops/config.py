"""Settings of the operations side: scheduled backups, TLS, reverse proxy, monitoring."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, model_validator


class BackupSettings(BaseModel):
    #: Cron expression (machine local time) for the built-in backup; empty: no scheduled backups.
    schedule: str | None = None
    #: Where scheduled backups go; empty: `data_dir/backups`.
    dir: Path | None = None
    #: Scheduled backups kept in `dir`; older ones are deleted after a successful backup.
    keep: int = Field(default=7, ge=1)
    #: `/readyz` says `degraded` when the last good backup is older than this (with a schedule set).
    max_age_hours: int = Field(default=36, ge=1)


class TlsSettings(BaseModel):
    #: PEM certificate (chain) and key: `kontor serve` then speaks HTTPS only.
    certfile: Path | None = None
    keyfile: Path | None = None
    #: Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (uvicorn's
    #: `forwarded_allow_ips`), e.g. `10.0.0.2` or `*`; the proxy terminates TLS.
    trusted_proxies: str | None = None
    #: Strict-Transport-Security max-age on HTTPS responses; 0 switches the header off.
    hsts_seconds: int = Field(default=31_536_000, ge=0)

    @model_validator(mode="after")
    def _pair(self) -> TlsSettings:
        if (self.certfile is None) != (self.keyfile is None):
            raise ValueError("KONTOR_TLS__CERTFILE and KONTOR_TLS__KEYFILE go together")
        return self

    @property
    def enabled(self) -> bool:
        return self.certfile is not None


class MonitoringSettings(BaseModel):
    #: Bearer token for `/metrics`; empty: the endpoint answers 404.
    metrics_token: str | None = None
    #: Cron expression for the nightly integrity check; empty: only `kontor check-integrity`.
    integrity_schedule: str | None = "30 3 * * *"
    #: `/readyz` says `degraded` when a document waits or processes longer than this.
    queue_stuck_seconds: int = Field(default=3600, ge=60)
