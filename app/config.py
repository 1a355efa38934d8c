"""All of Kontor's settings: one `Settings`, read from `KONTOR_*` variables and `.env`.

Nested groups use a double underscore: `KONTOR_MODEL__BACKEND=openai`. The most used settings
also have a flat alias (`KONTOR_DATABASE_URL`, `KONTOR_QUEUE_URL`, `KONTOR_MODEL_PATH`, ...).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "production", "test"]


class ModelSettings(BaseModel):
    #: `llama` runs a GGUF in-process; `openai` talks to any OpenAI-compatible server.
    backend: Literal["llama", "openai", "fake"] = "llama"
    #: Any GGUF file; empty means the embedded Gemma 3 270M.
    path: Path | None = None
    url: str | None = None
    name: str | None = None
    api_key: str | None = None
    threads: int | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KONTOR_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
        populate_by_name=True,
    )

    environment: Environment = "development"
    data_dir: Path = Path("var")
    database_url: str | None = None
    #: Empty: Huey's SQLite storage in the data dir. `redis://host:6379/0` selects Redis storage.
    queue_url: str | None = None
    #: Name of the queue; workers sharing one Redis must use the same name.
    queue_name: str = "kontor"
    max_upload_mb: int = Field(default=25, ge=1, le=1024)
    host: str = "127.0.0.1"
    port: int = 8000
    #: Threads of the queue consumer inside `kontor serve` / `kontor worker`.
    workers: int = Field(default=1, ge=1, le=64)
    #: A document left in `processing` this long (a crashed worker) is queued again.
    stale_after_seconds: int = Field(default=600, ge=10)
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    model: ModelSettings = Field(default_factory=ModelSettings)
    model_path: Path | None = Field(default=None, validation_alias=AliasChoices("KONTOR_MODEL_PATH"))
    model_url: str | None = Field(default=None, validation_alias=AliasChoices("KONTOR_MODEL_URL"))

    @model_validator(mode="after")
    def _flat_model_aliases(self) -> Settings:
        if self.model_path is not None:
            self.model.path = self.model_path
        if self.model_url is not None:
            self.model.url = self.model_url
            if self.model.backend == "llama":
                self.model.backend = "openai"
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.resolved_database_url.startswith("sqlite"):
            raise ValueError(
                "KONTOR_ENVIRONMENT=production needs KONTOR_DATABASE_URL to name a PostgreSQL server"
            )
        if self.model.backend == "openai" and not self.model.url:
            raise ValueError("KONTOR_MODEL__BACKEND=openai needs KONTOR_MODEL_URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kontor.db').as_posix()}"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def uses_redis(self) -> bool:
        return bool(self.queue_url) and str(self.queue_url).startswith(("redis://", "rediss://", "unix://"))


@lru_cache
def get_settings() -> Settings:
    return Settings()
