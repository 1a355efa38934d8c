"""A Maildir as a mailbox: `new/` and `cur/` are read; handled messages are renamed, never copied.

A rename within one file system is atomic, so a crash leaves each message in exactly one place.
"""

from __future__ import annotations

from pathlib import Path

from app.mail.config import MailSource
from app.mail.headers import header_message_id
from app.mail.sources import Envelope, MailSourceError

_INFO = ":2,"
_MAX_HEADER_BYTES = 256 * 1024


class MaildirMailbox:
    def __init__(self, source: MailSource) -> None:
        self.root = source.maildir_path()
        self.folder = source.processed_folder
        self.flag = source.maildir_flag
        if not (self.root / "new").is_dir() or not (self.root / "cur").is_dir():
            raise MailSourceError(f"{self.root} is not a Maildir (it needs new/ and cur/)")

    def pending(self) -> list[Envelope]:
        paths = [*self._messages("new"), *(p for p in self._messages("cur") if not self._handled(p))]
        paths.sort(key=lambda p: (p.stat().st_mtime, p.name))
        return [self._envelope(p) for p in paths]

    def fetch(self, ref: str) -> bytes:
        return self._path(ref).read_bytes()

    def settle(self, ref: str) -> None:
        path = self._path(ref)
        if not path.exists():
            return  # settled by an earlier, interrupted call
        base, _sep, flags = path.name.partition(_INFO)
        if self.folder:
            target_dir = self._processed_dir()
            target = target_dir / "cur" / f"{base}{_INFO}{flags}"
        else:
            target = self.root / "cur" / f"{base}{_INFO}{''.join(sorted({*flags, self.flag}))}"
        path.rename(target)

    def _messages(self, sub: str) -> list[Path]:
        return [p for p in (self.root / sub).iterdir() if p.is_file() and not p.name.startswith(".")]

    def _handled(self, path: Path) -> bool:
        # In move mode everything still here waits; in flag mode the flag marks what was handled.
        return not self.folder and self.flag in path.name.partition(_INFO)[2]

    def _envelope(self, path: Path) -> Envelope:
        ref = f"{path.parent.name}/{path.name}"
        return Envelope(ref=ref, message_id=_message_id(path), size=path.stat().st_size)

    def _path(self, ref: str) -> Path:
        sub, _sep, name = ref.partition("/")
        if sub not in ("new", "cur") or not name or "/" in name or name.startswith("."):
            raise MailSourceError(f"not a message of this Maildir: {ref!r}")
        return self.root / sub / name

    def _processed_dir(self) -> Path:
        # Maildir++ sub-folder, as Dovecot and Courier lay them out: `.Processed/{cur,new,tmp}`.
        folder = self.root / f".{self.folder.replace('/', '.')}"
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / "maildirfolder").touch()
        return folder


def _message_id(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = bytearray()
        for line in fh:
            head += line
            if line in (b"\r\n", b"\n") or len(head) > _MAX_HEADER_BYTES:
                break
    return header_message_id(bytes(head))


def ensure_maildir(root: Path) -> None:
    """Create an empty Maildir (for tests and first setup)."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)
