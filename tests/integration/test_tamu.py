"""Buku tamu (seed 004): `ptsp-admin tamu …` at the desk, and the `tamu` repository.

The CLI runs on the fixed test clock (Tuesday 24 November 2026, 09:00 WIB), so numbers
are `TMU-261124-NNNN`; the repository is checked on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.cli import app as ptsp
from tests.conftest import WIB, make_container

runner = CliRunner()
HOST_TG = 5551


def cli(*args: str, code: int = 0):
    result = runner.invoke(admin, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def cli_json(*args: str):
    return json.loads(cli(*args, "--json").stdout)


def petugas(nama: str, role: str, jabatan: str | None = None, tugas: str = "") -> str:
    args = ["petugas", "add", "--nama", nama, "--role", role]
    if jabatan:
        args += ["--jabatan", jabatan]
    if tugas:
        args += ["--tugas", tugas]
    return str(cli_json(*args)["id"])


@pytest.fixture
def env(tmp_path, monkeypatch, clock):
    """A migrated SQLite store; the CLI's clock is the test clock."""
    from bot.bootstrap import SystemClock

    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("PTSP_PETUGAS", raising=False)
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())
    result = runner.invoke(ptsp, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.fixture
def meja(env, clock):
    """A CS at the desk, the Kabag TU (linked on Telegram) and a container on the same store."""
    k = make_container(f"sqlite:///{env / 'ptsp.db'}", env / "var", clock)
    ids = {"cs": petugas("Ani Loket", "cs", tugas="layanan"),
           "host": petugas("Pak Kabag", "pejabat", jabatan="kabag_tu")}
    with k.uow() as uow:
        uow.petugas.tautkan(uow.petugas.get(int(ids["host"])), HOST_TG)
        uow.commit()
    yield k, ids
    k.db.dispose()


def outbox(k) -> list[tuple[str, str, dict]]:
    with k.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT channel, recipient, message FROM outbox ORDER BY id"))
        return [(c, r, json.loads(m) if isinstance(m, str) else m) for c, r, m in rows]


def daftar(oleh: str, *extra: str, nama: str = "Budi Santoso", tujuan: str = "kabag_tu",
           code: int = 0):
    args = ["tamu", "daftar", "--nama", nama, "--tujuan", tujuan, "--keperluan",
            "Koordinasi kegiatan MTQ", "--oleh", oleh, *extra]
    if code:
        return cli(*args, code=code)
    return cli_json(*args)


# -- the desk ---------------------------------------------------------------------------------


def test_a_guest_registers_checks_in_by_qr_and_checks_out(meja, clock):
    k, ids = meja
    t = daftar(ids["cs"], "--nik", "3171011708850003", "--hp", "0812-3456-7890",
               "--instansi", "MAN 1 Pontianak")
    assert t == {"nomor": "TMU-261124-0001", "nama": "Budi Santoso", "tujuan": "kabag_tu",
                 "status": "terdaftar", "waktu": "2026-11-24T09:00:00+07:00", "masuk": None,
                 "keluar": None}
    sent = outbox(k)
    assert [(c, r) for c, r, _ in sent] == [("telegram", str(HOST_TG))]
    assert "TMU-261124-0001" in sent[0][2]["text"] and "Budi Santoso" in sent[0][2]["text"]
    assert "MAN 1 Pontianak" in sent[0][2]["text"]
    with k.uow() as uow:
        stored = uow.tamu.get("TMU-261124-0001")
    assert stored.nik == "3171011708850003" and stored.hp == "+6281234567890"
    assert stored.oleh == "Ani Loket (cs)"

    clock.advance(minutes=5)
    masuk = cli_json("tamu", "checkin", "TMU-261124-0001|Budi Santoso|kabag_tu",
                     "--oleh", ids["cs"])
    assert masuk["status"] == "hadir" and masuk["masuk"] == "2026-11-24T09:05:00+07:00"
    assert "sudah hadir" in outbox(k)[-1][2]["text"]  # the host hears the guest arrived
    again = cli("tamu", "checkin", "TMU-261124-0001", "--oleh", ids["cs"], code=1)
    assert "sudah check-in" in again.stderr and len(again.stderr.strip().splitlines()) == 1

    clock.advance(minutes=40)
    keluar = cli_json("tamu", "checkout", "tmu 261124 1", "--oleh", ids["cs"])
    assert keluar["status"] == "selesai" and keluar["keluar"] == "2026-11-24T09:45:00+07:00"
    assert keluar["masuk"] == masuk["masuk"]
    twice = cli("tamu", "checkout", "TMU-261124-0001", "--oleh", ids["cs"], code=1)
    assert "sudah check-out" in twice.stderr
    with k.uow() as uow:
        riwayat = uow.tamu.get("TMU-261124-0001").riwayat
    assert [(r.status, r.oleh) for r in riwayat] == [
        ("terdaftar", "Ani Loket (cs)"), ("hadir", "Ani Loket (cs)"),
        ("selesai", "Ani Loket (cs)")]


def test_the_list_is_by_the_visits_local_day(meja):
    _, ids = meja
    daftar(ids["cs"], nama="Tamu Pagi")
    daftar(ids["cs"], "--waktu", "2026-11-25T10:00", nama="Tamu Besok")  # local time
    late = daftar(ids["cs"], "--waktu", "2026-11-24T23:30:00+07:00", nama="Tamu Malam")
    assert late["waktu"] == "2026-11-24T23:30:00+07:00"
    today = cli_json("tamu", "list")
    assert [t["nama"] for t in today] == ["Tamu Pagi", "Tamu Malam"]
    assert cli_json("tamu", "list", "--tanggal", "2026-11-24") == today
    besok = cli_json("tamu", "list", "--tanggal", "2026-11-25")
    assert [(t["nomor"], t["waktu"]) for t in besok] == [
        ("TMU-261124-0002", "2026-11-25T10:00:00+07:00")]
    assert cli_json("tamu", "list", "--tanggal", "2026-11-26") == []
    table = runner.invoke(admin, ["tamu", "list"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "TMU-261124-0001" in table.output
    assert "Kepala Bagian Tata Usaha" in table.output
    assert cli("tamu", "list", "--tanggal", "24-11-2026", code=2)


def test_numbers_have_no_gaps_when_a_registration_is_refused(meja):
    _, ids = meja
    assert daftar(ids["cs"])["nomor"] == "TMU-261124-0001"
    daftar(ids["cs"], "--nik", "317101170885000", code=1)  # 15 digits: refused, no number
    daftar(ids["cs"], tujuan="raja", code=1)
    assert daftar(ids["cs"])["nomor"] == "TMU-261124-0002"
    assert daftar(ids["cs"])["nomor"] == "TMU-261124-0003"
    assert [t["nomor"] for t in cli_json("tamu", "list")] == [
        "TMU-261124-0001", "TMU-261124-0002", "TMU-261124-0003"]


def test_refusals_are_one_indonesian_line_and_exit_1(meja):
    k, ids = meja
    bo = petugas("Bu Bo", "bo")
    kasi = petugas("Pak Kasi", "pejabat", jabatan="kasubag_umum")
    bad = daftar(ids["cs"], tujuan="raja", code=1)
    assert "jabatan tujuan 'raja' tidak ada" in bad.stderr
    bad = daftar(ids["cs"], "--nik", "317101170885000", code=1)
    assert "NIK harus 16 digit" in bad.stderr
    bad = daftar(ids["cs"], "--hp", "0561 736541", code=1)
    assert "nomor HP" in bad.stderr
    bad = daftar(ids["cs"], "--waktu", "2026-11-23T10:00:00+07:00", code=1)
    assert "sudah lewat" in bad.stderr
    assert "waktu" in daftar(ids["cs"], "--waktu", "besok", code=2).output
    for who in (bo, kasi):  # only the desk (CS, koordinator, admin) keeps the guest book
        bad = daftar(who, code=1)
        assert "tidak berwenang" in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
    missing = cli("tamu", "daftar", "--nama", "X", "--tujuan", "kabag_tu", "--keperluan", "y",
                  code=2)
    assert "--oleh" in missing.output
    assert cli("tamu", "checkin", "TMU-261124-0001", code=2)
    unknown = cli("tamu", "daftar", "--nama", "X", "--tujuan", "kabag_tu", "--keperluan", "y",
                  "--oleh", "999", code=1)
    assert "tidak ditemukan" in unknown.stderr

    t = daftar(ids["cs"])
    early = cli("tamu", "checkout", t["nomor"], "--oleh", ids["cs"], code=1)
    assert "belum check-in" in early.stderr
    refused = cli("tamu", "checkin", t["nomor"], "--oleh", bo, code=1)
    assert "tidak berwenang" in refused.stderr
    nothing = cli("tamu", "checkin", "halo", "--oleh", ids["cs"], code=1)
    assert "nomor tamu" in nothing.stderr
    gone = cli("tamu", "checkin", "TMU-261124-0099", "--oleh", ids["cs"], code=1)
    assert "tidak ditemukan" in gone.stderr
    assert cli_json("tamu", "list")[0]["status"] == "terdaftar"  # nothing changed
    assert len(outbox(k)) == 1  # only the one registration was announced


def test_a_koordinator_may_and_a_jabatan_nobody_holds_goes_to_the_koordinator(meja):
    k, ids = meja
    koor = petugas("Bu Koor", "koordinator")
    with k.uow() as uow:
        uow.petugas.tautkan(uow.petugas.get(int(koor)), 6661)
        uow.commit()
    t = daftar(koor, tujuan="kasubag_umum")  # nobody holds kasubag_umum
    sent = outbox(k)
    assert [(c, r) for c, r, _ in sent] == [("telegram", "6661")]
    assert t["nomor"] in sent[0][2]["text"] and "Belum ada pemegang aktif" in sent[0][2]["text"]
    assert cli_json("tamu", "checkin", t["nomor"], "--oleh", koor)["status"] == "hadir"


def test_an_unlinked_host_gets_nothing_yet_and_the_guest_is_still_registered(meja):
    k, ids = meja
    petugas("Pak Kakanwil", "pejabat", jabatan="kakanwil")
    t = daftar(ids["cs"], tujuan="kakanwil")
    assert t["status"] == "terdaftar" and outbox(k) == []


def test_a_signed_pass_must_carry_a_valid_signature(meja):
    from bot.receipt import qr_payload

    k, ids = meja
    t = daftar(ids["cs"])
    key = k.settings.signing_key()
    ok = cli_json("tamu", "checkin", qr_payload(t["nomor"], key), "--oleh", ids["cs"])
    assert ok["status"] == "hadir"
    t2 = daftar(ids["cs"])
    forged = f"{t2['nomor']}.{'0' * 16}"
    bad = cli("tamu", "checkin", forged, "--oleh", ids["cs"], code=1)
    assert "tidak sah" in bad.stderr


# -- the repository on both backends ---------------------------------------------------------


def _cs(k) -> object:
    from domain import commands as c

    with k.uow() as uow:
        p = k.bus.handle(c.TambahPetugas(nama="Ani", role="cs", tugas=("layanan",)), uow)
        return p.aktor()


def test_repository_round_trips_and_numbers_in_sequence(container, clock):
    from domain.errors import DataTidakValid, SyaratTidakTerpenuhi
    from domain.tamu import CheckinTamu, CheckoutTamu, DaftarTamu

    k = container
    cs = _cs(k)
    besok = datetime(2026, 11, 25, 8, 30, tzinfo=WIB)
    nomor = []
    for i, waktu in enumerate((None, besok, None)):
        with k.uow() as uow:
            nomor.append(k.bus.handle(DaftarTamu(
                aktor=cs, nama=f"Tamu {i}", tujuan="kabag_tu", keperluan="rapat",
                instansi="Kemenag", waktu=waktu), uow).nomor)
        with k.uow() as uow, pytest.raises(DataTidakValid):  # refused: rolled back
            k.bus.handle(DaftarTamu(aktor=cs, nama="X", tujuan="kabag_tu", keperluan="y",
                                    nik="123"), uow)
    assert nomor == ["TMU-261124-0001", "TMU-261124-0002", "TMU-261124-0003"]

    with k.uow() as uow:
        assert [t.nomor for t in uow.tamu.list(date(2026, 11, 24))] == [nomor[0], nomor[2]]
        assert [t.nomor for t in uow.tamu.list(date(2026, 11, 25))] == [nomor[1]]
        assert len(uow.tamu.list()) == 3
        t = uow.tamu.get(nomor[1])
    assert t.waktu == besok and t.waktu.tzinfo is not None and t.tanggal == date(2026, 11, 25)
    assert t.instansi == "Kemenag" and t.status == "terdaftar" and t.masuk is None

    clock.advance(minutes=10)
    with k.uow() as uow, pytest.raises(SyaratTidakTerpenuhi):
        k.bus.handle(CheckoutTamu(aktor=cs, nomor=nomor[0]), uow)
    with k.uow() as uow:
        k.bus.handle(CheckinTamu(aktor=cs, nomor=f"pass:{nomor[0]}|Tamu 0"), uow)
    clock.advance(hours=1)
    with k.uow() as uow:
        k.bus.handle(CheckoutTamu(aktor=cs, nomor=nomor[0]), uow)
    with k.uow() as uow:
        t = uow.tamu.get(nomor[0], for_update=True)
    assert t.status == "selesai"
    assert t.masuk == datetime(2026, 11, 24, 9, 10, tzinfo=WIB)
    assert t.keluar == t.masuk + timedelta(hours=1)
    assert [r.status for r in t.riwayat] == ["terdaftar", "hadir", "selesai"]

    other = k.db.ensure_kantor("kantor_lain", "Kantor Lain")
    with k.db.uow(other) as uow:  # another office never sees this office's guests
        assert uow.tamu.get(nomor[0]) is None and uow.tamu.list() == []


def test_concurrent_registrations_on_postgres_are_distinct_and_consecutive(pg_url, tmp_path,
                                                                           clock):
    from concurrent.futures import ThreadPoolExecutor

    from domain.tamu import DaftarTamu

    k = make_container(pg_url, tmp_path / "data", clock)
    cs = _cs(k)

    def one(i: int) -> str:
        with k.uow() as uow:
            return k.bus.handle(DaftarTamu(aktor=cs, nama=f"Tamu {i}", tujuan="kabag_tu",
                                           keperluan="rapat"), uow).nomor

    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(one, range(20)))
    assert sorted(got) == [f"TMU-261124-{i:04d}" for i in range(1, 21)]
    k.db.dispose()
