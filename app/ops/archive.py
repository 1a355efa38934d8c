"""The backup archive: a gzip'd tar of a staging folder plus `manifest.json` with a SHA-256 per file.

`write_archive` hashes the staged files, writes the manifest first and renames the finished archive
into place, so a crash never leaves a half-written file under the final name. `verify_archive`
re-hashes every member and refuses anything that is not a plain file with a safe relative name.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from app.ops.errors import BackupError

MANIFEST = "manifest.json"
FORMAT = "kontor-backup"
FORMAT_VERSION = 1
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def staged_files(staging: Path) -> Iterator[Path]:
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            yield path


def write_archive(staging: Path, out: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Archive every file under `staging` with `manifest` (its `files` filled in here) as `out`."""
    files = {
        path.relative_to(staging).as_posix(): {"sha256": sha256_file(path), "size": path.stat().st_size}
        for path in staged_files(staging)
    }
    manifest = {"format": FORMAT, "version": FORMAT_VERSION, **manifest, "files": files}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        for name in files:
            tar.add(staging / name, arcname=name, recursive=False)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.replace(out)
    return manifest


def verify_archive(archive: Path) -> dict[str, Any]:
    """The manifest of a sound archive; `BackupError` names the first file that is missing or altered."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            manifest, seen = _read_members(tar)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{archive}: not a readable backup archive ({exc})") from exc
    expected = manifest["files"]
    for name, meta in expected.items():
        if seen.get(name) != meta["sha256"]:
            problem = "missing" if name not in seen else "checksum mismatch"
            raise BackupError(f"{archive}: {name}: {problem}")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise BackupError(f"{archive}: files not in the manifest: {', '.join(extra[:5])}")
    return manifest


def _read_members(tar: tarfile.TarFile) -> tuple[dict[str, Any], dict[str, str]]:
    manifest: dict[str, Any] | None = None
    seen: dict[str, str] = {}
    for member in tar:
        _check_member(member)
        handle = tar.extractfile(member)
        assert handle is not None  # a regular file, checked above
        if member.name == MANIFEST:
            manifest = json.loads(handle.read())
        else:
            seen[member.name] = _sha256_stream(handle)
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError("not a Kontor backup: no manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('version')} is not supported")
    return manifest, seen


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"unsafe archive member: {member.name!r}")


def _sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def extract_archive(archive: Path, target: Path) -> dict[str, Any]:
    """Verify, then unpack into `target` (an empty folder)."""
    manifest = verify_archive(archive)
    with tarfile.open(archive, "r:*") as tar:
        tar.extractall(target, filter="data")
    return manifest
