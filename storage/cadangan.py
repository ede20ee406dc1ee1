"""Backup and restore: the database and the file store in one archive.

An archive (`ptsp-cadangan-YYYYMMDD-HHMMSS.tar.gz`, mode 0600: it holds personal data)
contains `manifest.json`, the database — SQLite through its online backup API (safe
while the server runs), PostgreSQL as a `pg_dump` custom-format dump — the uploaded and
generated files (`files/…`, content-addressed) and the receipt signing key file
(`secret.key`) when the data folder has one, so printed receipts still verify after a
restore.

Restoring writes the database back (refusing to overwrite one that holds data unless
told to) and adds the files; it is done with the server stopped. SQLAlchemy is imported
only when a backup runs (`ptsp-admin` imports this module's error at start-up).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
DB_SQLITE = "database.sqlite3"
DB_PG = "database.pgdump"
KEY = "secret.key"
FILES = "files"


class CadanganError(Exception):
    """A backup or restore that cannot be done, said in one line for the operator."""


@dataclass(frozen=True)
class Manifest:
    dialek: str
    dibuat: str
    revisi: str | None
    berkas: int
    kunci: bool

    def json(self) -> dict:
        return {"format": FORMAT, "dialek": self.dialek, "dibuat": self.dibuat,
                "revisi": self.revisi, "berkas": self.berkas, "kunci": self.kunci}


def _dialek(database_url: str) -> str:
    from sqlalchemy.engine import make_url

    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise CadanganError(f"basis data {backend} tidak didukung (hanya SQLite/PostgreSQL)")
    return backend


def _sqlite_path(database_url: str) -> Path:
    from sqlalchemy.engine import make_url

    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise CadanganError("basis data SQLite di memori tidak dapat dicadangkan")
    return Path(name)


def _libpq(database_url: str) -> str:
    """The URL as pg_dump/pg_restore take it (no SQLAlchemy driver suffix)."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def _run(args: list[str]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise CadanganError(f"{tool} tidak ditemukan; pasang klien PostgreSQL (postgresql-client)")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pesan = (done.stderr or done.stdout).strip().splitlines()
        raise CadanganError(f"{tool} gagal: {pesan[-1] if pesan else done.returncode}")


def _revisi(database_url: str) -> str | None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _berisi(database_url: str) -> bool:
    """Whether the database already holds an office's data (a schema with rows)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            for table in ("pemohon", "permohonan", "pengaduan", "inbox"):
                if insp.has_table(table) and conn.execute(
                        text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                    return True
        return False
    finally:
        engine.dispose()


def cadangkan(database_url: str, data_dir: Path, tujuan: Path, *, sekarang: datetime
              ) -> tuple[Path, Manifest]:
    """Write an archive of the database and file store into the folder (or file) `tujuan`."""
    dialek = _dialek(database_url)
    data_dir = Path(data_dir)
    if tujuan.is_dir() or not tujuan.suffix:
        tujuan = tujuan / f"ptsp-cadangan-{sekarang:%Y%m%d-%H%M%S}.tar.gz"
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ptsp-cadangan-") as tmp:
        work = Path(tmp)
        if dialek == "sqlite":
            sumber = _sqlite_path(database_url)
            if not sumber.exists():
                raise CadanganError(f"berkas basis data {sumber} tidak ada")
            db_file = work / DB_SQLITE
            src = sqlite3.connect(sumber)
            dst = sqlite3.connect(db_file)
            try:
                src.backup(dst)  # a consistent copy while the server writes
            finally:
                dst.close()
                src.close()
        else:
            db_file = work / DB_PG
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={db_file}", f"--dbname={_libpq(database_url)}"])
        files = sorted(p for p in (data_dir / FILES).rglob("*")
                       if p.is_file() and not p.name.startswith(".tmp-")) \
            if (data_dir / FILES).is_dir() else []
        key = data_dir / KEY
        manifest = Manifest(dialek=dialek, dibuat=sekarang.isoformat(),
                            revisi=_revisi(database_url), berkas=len(files),
                            kunci=key.is_file())
        (work / MANIFEST).write_text(json.dumps(manifest.json(), indent=2))
        partial = tujuan.with_name(tujuan.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(work / MANIFEST, arcname=MANIFEST)
                tar.add(db_file, arcname=db_file.name)
                for f in files:
                    tar.add(f, arcname=f"{FILES}/{f.relative_to(data_dir / FILES).as_posix()}")
                if manifest.kunci:
                    tar.add(key, arcname=KEY)
            os.replace(partial, tujuan)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return tujuan, manifest


def baca_manifest(arsip: Path) -> Manifest:
    """The archive's manifest; CadanganError when it is not a PTSP backup."""
    try:
        with tarfile.open(arsip, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            data = json.load(member) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError):
        raise CadanganError(f"{arsip} bukan arsip cadangan PTSP (bukan .tar.gz yang utuh "
                            "dari `ptsp-admin db backup`)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CadanganError(f"{arsip}: format cadangan tidak dikenal")
    return Manifest(dialek=data["dialek"], dibuat=data["dibuat"], revisi=data.get("revisi"),
                    berkas=int(data.get("berkas", 0)), kunci=bool(data.get("kunci")))


def _aman(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def pulihkan(arsip: Path, database_url: str, data_dir: Path, *, timpa: bool = False
             ) -> Manifest:
    """Restore an archive into `database_url` and `data_dir` (the server stopped).

    Raises:
        CadanganError: not a PTSP backup, of the other database kind, or the target
            already holds data and `timpa` was not given.
    """
    manifest = baca_manifest(arsip)
    dialek = _dialek(database_url)
    if manifest.dialek != dialek:
        raise CadanganError(f"cadangan ini dari {manifest.dialek}, tujuan {dialek}; "
                            "pindah jenis basis data tidak lewat pemulihan")
    data_dir = Path(data_dir)
    if dialek == "sqlite":
        target = _sqlite_path(database_url)
        ada = target.exists() and target.stat().st_size > 0 and _berisi(database_url)
    else:
        ada = _berisi(database_url)
    if ada and not timpa:
        raise CadanganError("basis data tujuan sudah berisi data; tambahkan --timpa untuk "
                            "menggantinya (hentikan server dahulu)")
    with tempfile.TemporaryDirectory(prefix="ptsp-pulih-") as tmp, \
            tarfile.open(arsip, "r:gz") as tar:
        work = Path(tmp)
        for member in tar.getmembers():
            if not member.isfile() or not _aman(member.name):
                continue
            tar.extract(member, work, filter="data")
        if dialek == "sqlite":
            target.parent.mkdir(parents=True, exist_ok=True)
            staged = target.with_name(target.name + ".pulih")
            shutil.copyfile(work / DB_SQLITE, staged)
            for extra in ("-wal", "-shm"):  # the old database's journal must not replay
                target.with_name(target.name + extra).unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--single-transaction", f"--dbname={_libpq(database_url)}",
                  str(work / DB_PG)])
        src_files = work / FILES
        if src_files.is_dir():
            for f in src_files.rglob("*"):
                if f.is_file():
                    dest = data_dir / FILES / f.relative_to(src_files)
                    if not dest.exists():  # content-addressed: same name, same bytes
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(f, dest)
        if manifest.kunci:
            data_dir.mkdir(parents=True, exist_ok=True)
            key = data_dir / KEY
            key.unlink(missing_ok=True)
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write((work / KEY).read_bytes())
    return manifest
