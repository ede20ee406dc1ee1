from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from storage.files import FileStore


def test_put_returns_the_sha256_and_stores_under_two_fanout_levels(tmp_path: Path):
    store = FileStore(tmp_path)
    data = b"%PDF-1.4 surat permohonan\n%%EOF\n"
    digest = store.put(data, "pdf")
    assert digest == hashlib.sha256(data).hexdigest()
    expected = tmp_path / "files" / digest[:2] / digest[2:4] / f"{digest}.pdf"
    assert store.path(digest, "pdf") == expected
    assert expected.read_bytes() == data
    assert store.get(digest, "pdf") == data
    assert store.exists(digest, "pdf")
    assert not store.exists(digest, "jpg")


def test_put_twice_is_idempotent_and_leaves_no_temporary_files(tmp_path: Path):
    store = FileStore(tmp_path)
    first = store.put(b"abc", "jpg")
    mtime = store.path(first, "jpg").stat().st_mtime_ns
    assert store.put(b"abc", ".JPG") == first
    assert store.path(first, "jpg").stat().st_mtime_ns == mtime
    files = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert files == [store.path(first, "jpg")]


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    store = FileStore(tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk penuh")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.put(b"xyz", "png")
    digest = hashlib.sha256(b"xyz").hexdigest()
    assert not store.exists(digest, "png")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_get_of_a_missing_file_raises_file_not_found(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        FileStore(tmp_path).get("0" * 64, "pdf")


@pytest.mark.parametrize("sha, ext", [("../../etc/passwd", "pdf"), ("a" * 64, "../x"),
                                      ("A" * 64, "pdf"), ("a" * 63, "pdf"), ("a" * 64, "")])
def test_path_refuses_anything_that_is_not_a_digest_and_a_short_extension(tmp_path: Path,
                                                                          sha: str, ext: str):
    with pytest.raises(ValueError):
        FileStore(tmp_path).path(sha, ext)


def test_the_extension_of_a_file_name_is_storable_or_the_default():
    from storage.files import ext_of

    assert ext_of("Surat Permohonan.PDF") == "pdf"
    assert ext_of("/etc/hostname") == "bin"
    assert ext_of("foto.jpeg.exe!") == "bin"
    assert ext_of("", "pdf") == "pdf"
