"""Mail settings: the sources to read, when, and the limits that keep a hostile message harmless."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

Tls = Literal["implicit", "starttls"]
_IMAP_SCHEMES: dict[str, tuple[Tls, int]] = {"imaps": ("implicit", 993), "imap": ("starttls", 143)}


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    user: str
    mailbox: str
    tls: Tls


class MailSource(BaseModel):
    """One mailbox.

    `url` is `imaps://user@host:993/INBOX` (TLS from the start), `imap://user@host:143/INBOX`
    (STARTTLS, always required: a password never crosses the wire in clear text) or
    `maildir:///var/mail/invoices`.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    url: str
    password: SecretStr | None = None
    #: Read the password from this file (first line), e.g. a container secret.
    password_file: Path | None = None
    #: Folder that handled messages move to; empty: flag them in place instead (`keyword`/`maildir_flag`).
    processed_folder: str = "Processed"
    #: IMAP keyword set on handled messages when they are not moved.
    keyword: str = Field(default="$KontorProcessed", pattern=r"^\$?[A-Za-z0-9_]+$")
    #: Maildir flag letter set on handled messages when they are not moved.
    maildir_flag: str = Field(default="S", pattern=r"^[A-Za-z]$")
    #: A CA bundle for servers with a private or self-signed certificate.
    ca_file: Path | None = None
    timeout_seconds: float = Field(default=60, gt=0)

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        scheme = urlsplit(url).scheme
        if scheme not in (*_IMAP_SCHEMES, "maildir"):
            raise ValueError("a mail source URL starts with imaps://, imap:// (STARTTLS) or maildir://")
        return url

    @model_validator(mode="after")
    def _imap_has_credentials(self) -> MailSource:
        if self.kind == "imap":
            target = self.imap_target()
            if not target.user or not target.host:
                raise ValueError(f"mail source {self.name}: the URL needs user@host")
            if self.password is None and self.password_file is None:
                raise ValueError(f"mail source {self.name}: set password or password_file")
        return self

    @property
    def kind(self) -> Literal["imap", "maildir"]:
        return "maildir" if urlsplit(self.url).scheme == "maildir" else "imap"

    @property
    def moves(self) -> bool:
        return bool(self.processed_folder)

    def imap_target(self) -> ImapTarget:
        parts = urlsplit(self.url)
        tls, default_port = _IMAP_SCHEMES[parts.scheme]
        return ImapTarget(
            host=parts.hostname or "",
            port=parts.port or default_port,
            user=unquote(parts.username or ""),
            mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
        )

    def maildir_path(self) -> Path:
        parts = urlsplit(self.url)
        return Path(unquote(parts.netloc + parts.path))

    def secret(self) -> str:
        if self.password_file is not None:
            lines = self.password_file.read_text(encoding="utf-8").splitlines()
            return lines[0] if lines else ""
        return self.password.get_secret_value() if self.password else ""


class MailSettings(BaseModel):
    # The flat aliases (`KONTOR_MAIL_SOURCES`, `KONTOR_MAIL_SCHEDULE`) are assigned after parsing.
    model_config = ConfigDict(validate_assignment=True)

    sources: list[MailSource] = Field(default_factory=list)
    #: A cron expression in the machine's local time; empty disables the built-in schedule.
    schedule: str = "0 2 * * *"
    #: How often a failing message is tried before it is left for a person.
    retry_limit: int = Field(default=3, ge=1, le=100)
    #: Larger messages are recorded as `too_large` without being downloaded.
    max_message_mb: float = Field(default=50, gt=0)
    #: Nesting of forwarded messages and archives.
    max_depth: int = Field(default=5, ge=1, le=20)
    zip_max_members: int = Field(default=100, ge=1)
    zip_max_total_mb: float = Field(default=100, gt=0)
    #: Uncompressed to compressed size; far above what real PDFs and XML reach, far below a zip bomb.
    zip_max_ratio: float = Field(default=100, gt=1)
    #: A run holding the lock longer than this without progress is presumed dead.
    lock_ttl_seconds: int = Field(default=1800, ge=30)
    #: Images smaller than this (KiB) or with a shorter side (pixels) are the mail's decoration (logos,
    #: signatures, tracking pixels), not documents; so is any image the HTML body shows (`cid:`).
    min_image_kb: float = Field(default=8, ge=0)
    min_image_side_px: int = Field(default=400, ge=0)
    #: Test hook only: end the process right after a message's documents are committed, before the
    #: message is moved, to prove that the next run finishes the job without duplicates.
    crash_after_commit: bool = False

    @field_validator("schedule")
    @classmethod
    def _valid_cron(cls, schedule: str) -> str:
        schedule = schedule.strip()
        if schedule and not croniter.is_valid(schedule):
            raise ValueError(f"not a cron expression: {schedule!r}")
        return schedule

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[MailSource]) -> list[MailSource]:
        names = [s.name for s in sources]
        if len(names) != len(set(names)):
            raise ValueError("mail source names must be unique")
        return sources

    @property
    def max_message_bytes(self) -> int:
        return int(self.max_message_mb * 1024 * 1024)

    @property
    def zip_max_total_bytes(self) -> int:
        return int(self.zip_max_total_mb * 1024 * 1024)
