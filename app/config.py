"""All of Kontor's settings: one `Settings`, read from `KONTOR_*` variables and `.env`.

Nested groups use a double underscore: `KONTOR_MODEL__BACKEND=openai`. The most used settings
also have a flat alias (`KONTOR_DATABASE_URL`, `KONTOR_QUEUE_URL`, `KONTOR_MODEL_PATH`, ...).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from agents.validation.settings import ValidationSettings
from app.learning.config import LearningSettings
from app.mail.config import MailSettings, MailSource
from app.ops.config import BackupSettings, MonitoringSettings, TlsSettings
from schemas.proposal_caps import check_threshold

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


class DatevSettings(BaseModel):
    """The header of the DATEV export: who it is for and how its accounts are numbered."""

    consultant_number: int = Field(default=1001, ge=1001, le=9_999_999)
    client_number: int = Field(default=1, ge=1, le=99_999)
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    fiscal_year_start_day: int = Field(default=1, ge=1, le=31)
    #: Digits of a general ledger account (Sachkontenlänge); creditors get one more.
    account_length: int = Field(default=4, ge=4, le=8)
    #: Festschreibung: the advisor's import locks the bookings (header field 21, column 114).
    fixed: bool = False
    #: Beleglink (column 20) on every row, and the originals with a document.xml beside each export.
    document_links: bool = False
    #: Column 116 (Datum Zuord. Steuerperiode): an invoice received in a later month than its date has its
    #: input VAT in the month of receipt (§ 15 (1) Nr. 1 UStG: deductible once the invoice is in hand).
    tax_period_by_receipt: bool = True

    @model_validator(mode="after")
    def _real_day(self) -> DatevSettings:
        date(2001, self.fiscal_year_start_month, self.fiscal_year_start_day)  # ValueError for 30 February
        return self


class BookingSettings(BaseModel):
    #: Built-in chart of accounts; `chart_csv` (a company chart) wins when set.
    chart: Literal["skr03", "skr04"] = "skr03"
    chart_csv: Path | None = None
    #: Expense account when nothing else decides; empty: the chart's "other" account.
    default_account: str | None = None
    #: An account proposal at least this sure is posted without a person; it must lie above the caps of
    #: the learned classifier and the model (`schemas.proposal_caps`), or their proposals would post alone.
    confidence_threshold: float = Field(default=0.8, ge=0.0, le=1.0)
    #: Movable goods of 250-800 EUR net per unit: "gwg" (the low-value asset account, so the books list them
    #: as § 6 (2) S. 4 EStG asks) or "expense" (as chosen).
    low_value_assets: Literal["expense", "gwg"] = "gwg"
    datev: DatevSettings = Field(default_factory=DatevSettings)

    @field_validator("confidence_threshold")
    @classmethod
    def _above_the_caps(cls, threshold: float) -> float:
        return check_threshold(threshold)


class SandboxSettings(BaseModel):
    """The child process that reads each PDF (`app.pipeline.sandbox`)."""

    #: Address space of the child; past it the document fails with `resource_limit`.
    memory_mb: int = Field(default=1536, ge=256)
    #: Wall time of one read; past it the child is killed and the document fails with `timeout`.
    timeout_seconds: float = Field(default=60, gt=0)
    #: A warm child is replaced after this many documents.
    max_tasks_per_child: int = Field(default=100, ge=1)


class LimitsSettings(BaseModel):
    """What one document may cost: checked at ingest, while reading, and across attempts."""

    #: PDFs with more pages are refused at ingest (400 `too_many_pages`).
    max_pages: int = Field(default=200, ge=1)
    #: Decoded size of a PDF's non-image streams (content, fonts, forms): decompression bombs.
    max_decoded_mb: int = Field(default=100, ge=1)
    #: Declared decoded size of its images (width x height x colours), summed.
    max_image_mb: int = Field(default=2048, ge=1)
    #: Element nesting of an XML upload.
    max_xml_depth: int = Field(default=64, ge=8)
    #: Per page, words and characters beyond these are dropped (`text.truncated` warning).
    max_words_per_page: int = Field(default=10_000, ge=100)
    max_chars_per_page: int = Field(default=100_000, ge=1000)
    #: Processing attempts (each claim by a worker) before a document stays `failed`.
    max_attempts: int = Field(default=3, ge=1)
    #: Pixels of one page of an image upload (PNG, JPEG, TIFF), in millions: more is a pixel bomb.
    #: Pillow's own guard refuses about 179 million, whatever this says.
    max_image_megapixels: int = Field(default=80, ge=1, le=170)


class OcrSettings(BaseModel):
    """Tesseract OCR of pages without a text layer (`agents.reading.scanned`)."""

    enabled: bool = True
    #: Folder with Tesseract's *.traineddata; empty: the Debian/Ubuntu folders under /usr/share/tesseract-ocr.
    tessdata: Path | None = None
    #: Tesseract's language string: the models to read with, most likely first.
    languages: str = "deu+eng"
    #: Resolution the page is rendered at for OCR.
    dpi: int = Field(default=300, ge=100, le=600)
    #: At most this many pages of one document are read by OCR (each takes seconds).
    max_pages: int = Field(default=10, ge=1)
    #: A page with fewer letters and digits than this in its text layer counts as having none.
    min_chars: int = Field(default=30, ge=1)
    #: OCR'd invoices of a vendor go to a person (`ocr.new_vendor`) until this many of its were approved.
    trusted_after: int = Field(default=3, ge=0)
    #: Store a searchable PDF (straightened scan, OCR text as an invisible layer) beside the original.
    archive_copy: bool = False


class ReviewSettings(BaseModel):
    #: Four-eyes rule: whoever changed an IBAN or an amount of a document cannot also approve it.
    four_eyes: bool = False


class NotifySettings(BaseModel):
    """The daily e-mail to reviewers and the webhook on status changes; both off until configured."""

    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = "kontor@localhost"
    #: Who gets the daily e-mail (queue count and oldest item).
    daily_to: list[str] = Field(default_factory=list)
    #: Cron expression in local time, e.g. `0 7 * * 1-5`.
    daily_schedule: str | None = None
    #: Where the review pages are, for the link in the e-mail.
    review_url: str = "http://127.0.0.1:8000/review"
    #: POSTed a JSON event on every status change; `webhook_secret` signs the body (HMAC-SHA256).
    webhook_url: str | None = None
    webhook_secret: str | None = None


class LoginSettings(BaseModel):
    """Throttling of the review pages' login: too many failures in a window, and logins wait."""

    #: Failed logins per user name within the window before that name is refused for a while.
    max_failures_per_user: int = Field(default=10, ge=1)
    #: Failed logins from one client address within the window (any names) before it is refused.
    max_failures_per_address: int = Field(default=10, ge=1)
    window_seconds: int = Field(default=600, ge=1)


#: Flat variables (`KONTOR_MODEL_URL`, ...) kept beside the nested groups: (flat field, group, field in it).
#: A flat one that is set wins over the group's.
FLAT_ALIASES = (
    ("model_path", "model", "path"),
    ("model_url", "model", "url"),
    ("mail_sources", "mail", "sources"),
    ("mail_schedule", "mail", "schedule"),
    ("metrics_token", "monitoring", "metrics_token"),
    ("chart", "booking", "chart"),
)


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
    mail: MailSettings = Field(default_factory=MailSettings)
    mail_sources: list[MailSource] | None = Field(
        default=None, validation_alias=AliasChoices("KONTOR_MAIL_SOURCES")
    )
    mail_schedule: str | None = Field(default=None, validation_alias=AliasChoices("KONTOR_MAIL_SCHEDULE"))
    #: Who we are: invoices must be addressed to this company (`buyer.*` findings).
    company_name: str | None = None
    company_vat_id: str | None = None
    company_currency: str = "EUR"
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    booking: BookingSettings = Field(default_factory=BookingSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    login: LoginSettings = Field(default_factory=LoginSettings)
    chart: Literal["skr03", "skr04"] | None = Field(
        default=None, validation_alias=AliasChoices("KONTOR_CHART")
    )
    backup: BackupSettings = Field(default_factory=BackupSettings)
    tls: TlsSettings = Field(default_factory=TlsSettings)
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)
    metrics_token: str | None = Field(default=None, validation_alias=AliasChoices("KONTOR_METRICS_TOKEN"))
    learning: LearningSettings = Field(default_factory=LearningSettings)

    @model_validator(mode="after")
    def _flat_aliases(self) -> Settings:
        for flat, group, name in FLAT_ALIASES:
            value = getattr(self, flat)
            if value is not None:
                setattr(getattr(self, group), name, value)
        if self.model_url is not None and self.model.backend == "llama":
            self.model.backend = "openai"
        return self

    @model_validator(mode="after")
    def _company_into_validation(self) -> Settings:
        for name in ("company_name", "company_vat_id", "company_currency"):
            if name in self.model_fields_set:
                setattr(self.validation, name, getattr(self, name))
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
    def models_dir(self) -> Path:
        """Where the installation's trained extraction models are kept (`kontor train`)."""
        return self.learning.models_dir or self.data_dir / "extraction-models"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def uses_redis(self) -> bool:
        return bool(self.queue_url) and str(self.queue_url).startswith(("redis://", "rediss://", "unix://"))


@lru_cache
def get_settings() -> Settings:
    return Settings()
