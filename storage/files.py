"""The file store: content-addressed files (uploads, generated receipts) under the data dir.

A file is named by the SHA-256 of its bytes and fanned out over two directory levels
(`files/ab/cd/abcd….pdf`) so no directory grows past a few thousand entries. Writes go
to a temporary file in the target directory and are moved into place with
`os.replace`, so a reader never sees half a file and a crash leaves no partial one.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePath

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EXT = re.compile(r"^[a-z0-9]{1,10}$")


class FileStore:
    """Content-addressed storage rooted at `root` (usually `settings.data_dir`)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, sha256: str, ext: str) -> Path:
        """Where the file with this digest and extension lives (whether or not it exists).

        Raises:
            ValueError: the digest is not 64 lowercase hex digits or the extension is not
                a short alphanumeric word (guards against path traversal).
        """
        ext = _clean_ext(ext)
        if not _SHA256.match(sha256):
            raise ValueError(f"bukan sha256 yang sah: {sha256!r}")
        return self.root / "files" / sha256[:2] / sha256[2:4] / f"{sha256}.{ext}"

    def put(self, data: bytes, ext: str) -> str:
        """Store `data` once and return its SHA-256 hex digest; storing it again is a no-op."""
        ext = _clean_ext(ext)
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest, ext)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix="." + ext)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str, ext: str) -> bytes:
        """The stored bytes; FileNotFoundError when absent."""
        return self.path(sha256, ext).read_bytes()

    def exists(self, sha256: str, ext: str) -> bool:
        return self.path(sha256, ext).is_file()

    def hapus_lepas(self, sebelum: float, simpan: set[str]) -> int:
        """Delete the files written before `sebelum` (a Unix time) whose digest is not in
        `simpan` — media sent but never attached to a permohonan, generated receipts and
        passes whose links expired; how many went."""
        n = 0
        for f in (self.root / "files").glob("??/??/*.*"):
            digest = f.name.split(".", 1)[0]
            if f.name.startswith(".tmp-") or digest in simpan or not _SHA256.match(digest):
                continue
            try:
                if f.stat().st_mtime < sebelum:
                    f.unlink()
                    n += 1
            except FileNotFoundError:  # another instance swept it first
                continue
        return n


def ext_of(name: str, default: str = "bin") -> str:
    """The storable extension of a file name ("Surat.PDF" → "pdf"), else `default`."""
    ext = PurePath(name or "").suffix.lower().lstrip(".")
    return ext if _EXT.match(ext) else default


def _clean_ext(ext: str) -> str:
    ext = ext.lower().lstrip(".")
    if not _EXT.match(ext):
        raise ValueError(f"ekstensi berkas tidak sah: {ext!r}")
    return ext
