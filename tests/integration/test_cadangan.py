"""`ptsp-admin db backup` / `db restore`: a round trip on SQLite and PostgreSQL.

The archive carries the database, the uploaded files and the receipt signing key; a
restore refuses to overwrite a database that holds data unless told, and brings back
exactly what was backed up.
"""

from __future__ import annotations

import stat
import tarfile
import uuid

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_cli.main import app as admin
from domain import commands as c
from storage.tables import PemohonRow
from tests.conftest import make_container

runner = CliRunner()


def _daftar(k, hp: str, nama: str) -> None:
    with k.uow() as uow:
        k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id=hp, nama=nama, hp=hp,
                                     nik="3171011708850003", persetujuan=True), uow)


def _nama(url: str, tmp_path, clock) -> list[str]:
    k = make_container(url, tmp_path / "baca", clock)
    try:
        with Session(k.db.engine) as s:
            return sorted(p.nama for p in s.exec(select(PemohonRow)))
    finally:
        k.db.dispose()


@pytest.fixture
def fresh_pg(pg_server):
    """A second empty PostgreSQL database, the restore's target."""
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import _admin_conninfo

    conninfo, _ = _admin_conninfo(pg_server)
    name = f"ptsp_pulih_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def target(request, tmp_path):
    if "postgres" in request.node.callspec.id:
        return request.getfixturevalue("fresh_pg")
    return f"sqlite:///{tmp_path / 'pulih' / 'ptsp.db'}"


def test_a_backup_restores_the_data_files_and_key_elsewhere_and_in_place(
        db_url, target, tmp_path, monkeypatch, clock):
    data = tmp_path / "var"
    k = make_container(db_url, data, clock)
    _daftar(k, "+6281234567890", "Budi Santoso")
    sha = k.extras["files"].put(b"%PDF-1.4 surat permohonan", "pdf")
    (data / "secret.key").write_bytes(b"kunci-rahasia-kantor")
    k.db.dispose()
    monkeypatch.setenv("PTSP_DATABASE_URL", db_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(data))

    result = runner.invoke(admin, ["db", "backup", "--ke", str(tmp_path / "bak")])
    assert result.exit_code == 0, result.output
    assert "Cadangan tersimpan:" in result.output and "1 berkas" in result.output
    (arsip,) = (tmp_path / "bak").glob("ptsp-cadangan-*.tar.gz")
    assert stat.S_IMODE(arsip.stat().st_mode) == 0o600  # personal data inside
    with tarfile.open(arsip) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "secret.key"} <= names
    assert any(n.endswith(f"{sha}.pdf") for n in names)

    # restored into an empty database and data folder elsewhere
    monkeypatch.setenv("PTSP_DATABASE_URL", target)
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var2"))
    result = runner.invoke(admin, ["db", "restore", str(arsip)])
    assert result.exit_code == 0, result.output
    assert _nama(target, tmp_path, clock) == ["Budi Santoso"]
    assert (tmp_path / "var2" / "secret.key").read_bytes() == b"kunci-rahasia-kantor"
    k2 = make_container(target, tmp_path / "var2", clock)
    assert k2.extras["files"].get(sha, "pdf") == b"%PDF-1.4 surat permohonan"
    k2.db.dispose()

    # in place, after more was written: refused without --timpa, then back to the backup
    k = make_container(db_url, data, clock)
    _daftar(k, "+6281298765432", "Siti Aminah")
    k.db.dispose()
    monkeypatch.setenv("PTSP_DATABASE_URL", db_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(data))
    result = runner.invoke(admin, ["db", "restore", str(arsip)])
    assert result.exit_code == 1 and "--timpa" in result.output
    assert _nama(db_url, tmp_path, clock) == ["Budi Santoso", "Siti Aminah"]
    result = runner.invoke(admin, ["db", "restore", str(arsip), "--timpa"])
    assert result.exit_code == 0, result.output
    assert _nama(db_url, tmp_path, clock) == ["Budi Santoso"]


def test_a_file_that_is_not_a_backup_or_of_the_other_kind_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    bukan = tmp_path / "foto.tar.gz"
    bukan.write_bytes(b"bukan arsip")
    result = runner.invoke(admin, ["db", "restore", str(bukan)])
    assert result.exit_code == 1 and "bukan arsip cadangan PTSP" in result.output
    result = runner.invoke(admin, ["db", "restore", str(tmp_path / "tidak-ada.tar.gz")])
    assert result.exit_code == 1 and "tidak ada" in result.output

    import io
    import json

    pg_arsip = tmp_path / "pg.tar.gz"
    with tarfile.open(pg_arsip, "w:gz") as tar:
        raw = json.dumps({"format": 1, "dialek": "postgresql", "dibuat": "2026-12-01",
                          "revisi": None, "berkas": 0, "kunci": False}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    result = runner.invoke(admin, ["db", "restore", str(pg_arsip)])
    assert result.exit_code == 1 and "dari postgresql, tujuan sqlite" in result.output
