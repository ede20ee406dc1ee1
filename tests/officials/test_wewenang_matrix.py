"""The authorisation matrix, generated from the domain's table (`domain.wewenang.BOLEH`).

1. Every action × every kind of actor (role, jabatan, delegation, desk, office) × items in
   several states is judged by the table, and compared with the office's rules written
   out by hand here (who may, per item and action; everyone else may not).
2. Through Telegram: each official presses each action's button on the same prompt, and
   sends `/status` and `/balas`; what happens must be what the table says.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.model import (
    Delegasi,
    Disposisi,
    Pengaduan,
    Permohonan,
    Petugas,
    Role,
)
from domain.status import Status
from domain.surat import SuratMasuk
from domain.tamu import Tamu
from domain.wewenang import BOLEH, Aksi, ItemKantor, ItemPermohonan, Pelaku, boleh
from tests.conftest import WIB
from tests.officials.harness import Office
from tests.officials.test_officials import add_petugas, audiensi

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
TODAY = NOW.date()

# name → (role, jabatan, tugas)
ORANG = {
    "cs_layanan": ("cs", None, ("layanan", "aduan_skm")),
    "cs_surat": ("cs", None, ("surat",)),
    "bo": ("bo", None, ()),
    "koordinator": ("koordinator", None, ()),
    "kakanwil": ("pejabat", "kakanwil", ()),
    "kabag": ("pejabat", "kabag_tu", ()),
    "kasubag": ("pejabat", "kasubag_umum", ()),
    "kasi": ("pejabat", "kasi_umrah", ()),
    "plt_kakanwil": ("pejabat", "kasi_kurikulum", ()),  # Plt of the Kakanwil today
    "arsiparis": ("arsiparis", None, ()),
    "admin": ("admin", None, ()),
}


def pelaku(name: str, kantor_id: int = 1) -> Pelaku:
    role, jabatan, tugas = ORANG[name]
    pid = list(ORANG).index(name) + 1
    p = Petugas(kantor_id=kantor_id, nama=name.title(), role=Role(role), jabatan=jabatan,
                tugas=tugas, id=pid)
    delegasi = [Delegasi(jabatan="kakanwil", petugas_id=pid, sampai=TODAY)] \
        if name == "plt_kakanwil" else []
    return Pelaku.dari(p, delegasi, TODAY)


def permohonan(status: Status, pemegang: str | None, **kw) -> Permohonan:
    return Permohonan(kantor_id=1, nomor="PTSP-261124-0001", layanan="audiensi", pengaju_id=1,
                      atas_nama="Budi", diajukan=NOW, status=status, pemegang=pemegang,
                      konfirmator="kakanwil", **kw)


DISPOSED = [Disposisi(dari_jabatan="kakanwil", ke_jabatan="kasubag_umum", instruksi="proses",
                      waktu=NOW, oleh="Pak Kakanwil")]
ITEMS = {
    "menunggu": ItemPermohonan(permohonan(Status.MENUNGGU, "cs"), audiensi=True, sekarang=NOW),
    "konfirmasi": ItemPermohonan(permohonan(Status.KONFIRMASI, "kakanwil"), audiensi=True,
                                 sekarang=NOW),
    "proses_kasubag": ItemPermohonan(permohonan(Status.PROSES, "kasubag_umum",
                                                disposisi=list(DISPOSED)),
                                     audiensi=True, sekarang=NOW),
    "dijadwalkan": ItemPermohonan(permohonan(
        Status.SELESAI, "kasubag_umum", disposisi=list(DISPOSED),
        data={"jadwal": {"waktu": (NOW + timedelta(days=1)).isoformat(), "tempat": "Aula"}}),
        audiensi=True, sekarang=NOW),
    "terlaksana_bisa": ItemPermohonan(permohonan(
        Status.SELESAI, "kasubag_umum", disposisi=list(DISPOSED),
        data={"jadwal": {"waktu": (NOW - timedelta(hours=1)).isoformat(), "tempat": "Aula"}}),
        audiensi=True, sekarang=NOW),
}
ADUAN = {
    "biasa": Pengaduan(kantor_id=1, nomor="ADU-261124-0001", kategori="pengaduan",
                       teks="antrian lama", diterima=NOW, topik="pelayanan_lambat"),
    "pungli_anonim": Pengaduan(kantor_id=1, nomor="ADU-261124-0002", kategori="pengaduan",
                               teks="dimintai uang", diterima=NOW, anonim=True,
                               topik="pungli_gratifikasi"),
    "diteruskan_kabag": Pengaduan(kantor_id=1, nomor="ADU-261124-0003", kategori="pengaduan",
                                  teks="sarana rusak", diterima=NOW, status="diteruskan",
                                  diteruskan_ke=("kabag_tu",), topik="sarana"),
    "menyebut_kasi": Pengaduan(kantor_id=1, nomor="ADU-261124-0004", kategori="pengaduan",
                               teks="Kasi bersikap kasar", diterima=NOW,
                               topik="sikap_petugas"),
}
KANTOR = {"kantor": ItemKantor(1)}
SURAT = {name: SuratMasuk(kantor_id=1, tahun=2026, agenda=1, dari="Pemprov", nomor="1",
                          tanggal=TODAY, perihal="Undangan", diterima=NOW, oleh="Ani",
                          pemegang=pemegang, status="didisposisi")
         for name, pemegang in (("surat_kakanwil", "kakanwil"),
                                ("surat_kasubag", "kasubag_umum"))}
TAMU = {name: Tamu(kantor_id=1, nomor="TMU-261124-0001", nama="Budi", tujuan=tujuan,
                   keperluan="silaturahmi", waktu=NOW, tanggal=TODAY)
        for name, tujuan in (("tamu_kabag", "kabag_tu"), ("tamu_kakanwil", "kakanwil"))}

PIMPINAN_KAKANWIL = {"kakanwil", "plt_kakanwil", "admin"}
KASUBAG = {"kasubag", "admin"}
# (item, action) → who may; every other pair of this item and action: nobody.
BOLEH_MENURUT_KANTOR: dict[tuple[str, Aksi], set[str]] = {
    ("menunggu", Aksi.LIHAT): {"cs_layanan", "koordinator", "admin"},
    ("menunggu", Aksi.BALAS): {"cs_layanan", "koordinator", "admin"},
    ("menunggu", Aksi.LENGKAP): {"cs_layanan", "admin"},
    ("menunggu", Aksi.KURANG): {"cs_layanan", "admin"},
    ("konfirmasi", Aksi.LIHAT): {"cs_layanan", "koordinator", *PIMPINAN_KAKANWIL},
    ("konfirmasi", Aksi.BALAS): {"cs_layanan", "koordinator", *PIMPINAN_KAKANWIL},
    ("konfirmasi", Aksi.DISPOSISI): PIMPINAN_KAKANWIL,
    ("konfirmasi", Aksi.INFO): PIMPINAN_KAKANWIL,
    ("konfirmasi", Aksi.TOLAK): PIMPINAN_KAKANWIL,
    ("konfirmasi", Aksi.JADWAL): PIMPINAN_KAKANWIL,  # receives the pemohon himself
    ("proses_kasubag", Aksi.LIHAT): {"cs_layanan", "koordinator", *PIMPINAN_KAKANWIL,
                                     "kasubag"},
    ("proses_kasubag", Aksi.BALAS): {"cs_layanan", "koordinator", *KASUBAG},
    ("proses_kasubag", Aksi.JADWAL): KASUBAG,
    ("proses_kasubag", Aksi.INFO): KASUBAG,
    ("proses_kasubag", Aksi.TOLAK): KASUBAG,
    ("proses_kasubag", Aksi.TIDAK_SESUAI): {"bo", *KASUBAG},
    ("proses_kasubag", Aksi.DISPOSISI): KASUBAG,  # has nobody below: the edge offers none
    ("dijadwalkan", Aksi.LIHAT): {"cs_layanan", "koordinator", *PIMPINAN_KAKANWIL, "kasubag",
                                  "arsiparis"},
    ("dijadwalkan", Aksi.BALAS): {"cs_layanan", "koordinator", *KASUBAG},
    ("dijadwalkan", Aksi.JADWAL_ULANG): KASUBAG,
    ("dijadwalkan", Aksi.TERLAKSANA): set(),  # not before its time
    ("terlaksana_bisa", Aksi.TERLAKSANA): {"cs_layanan", *KASUBAG},
    ("terlaksana_bisa", Aksi.LIHAT): {"cs_layanan", "koordinator", *PIMPINAN_KAKANWIL,
                                      "kasubag", "arsiparis"},
    ("terlaksana_bisa", Aksi.BALAS): {"cs_layanan", "koordinator", *KASUBAG},
    ("terlaksana_bisa", Aksi.JADWAL_ULANG): KASUBAG,
    ("biasa", Aksi.ADUAN_LIHAT): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.ADUAN_PELAPOR): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.KLASIFIKASI): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.TERUSKAN): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.JAWAB): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.TUTUP): {"cs_layanan", "koordinator", "admin"},
    ("biasa", Aksi.ADUAN_BALAS): {"cs_layanan", "koordinator", "admin"},
    ("pungli_anonim", Aksi.ADUAN_LIHAT): {"koordinator", "admin"},
    ("pungli_anonim", Aksi.ADUAN_PELAPOR): {"koordinator"},  # the reporter: koordinator only
    ("pungli_anonim", Aksi.KLASIFIKASI): {"koordinator", "admin"},
    ("pungli_anonim", Aksi.TERUSKAN): {"koordinator", "admin"},
    ("pungli_anonim", Aksi.JAWAB): {"koordinator", "admin"},
    ("pungli_anonim", Aksi.TUTUP): {"koordinator", "admin"},
    ("pungli_anonim", Aksi.ADUAN_BALAS): {"koordinator", "admin"},
    ("diteruskan_kabag", Aksi.ADUAN_LIHAT): {"cs_layanan", "koordinator", "admin", "kabag"},
    ("diteruskan_kabag", Aksi.ADUAN_PELAPOR): {"cs_layanan", "koordinator", "admin", "kabag"},
    ("diteruskan_kabag", Aksi.KLASIFIKASI): {"cs_layanan", "koordinator", "admin"},
    ("diteruskan_kabag", Aksi.TERUSKAN): {"cs_layanan", "koordinator", "admin"},
    ("diteruskan_kabag", Aksi.JAWAB): {"cs_layanan", "koordinator", "admin", "kabag"},
    ("diteruskan_kabag", Aksi.TUTUP): {"cs_layanan", "koordinator", "admin", "kabag"},
    ("diteruskan_kabag", Aksi.ADUAN_BALAS): {"cs_layanan", "koordinator", "admin", "kabag"},
    ("menyebut_kasi", Aksi.ADUAN_LIHAT): {"cs_layanan", "koordinator", "admin"},
    # the Kasi it names sees nothing of it; the complaint desk handles it as usual
    **{("menyebut_kasi", a): {"cs_layanan", "koordinator", "admin"} for a in (
        Aksi.ADUAN_PELAPOR, Aksi.ADUAN_BALAS, Aksi.KLASIFIKASI, Aksi.TERUSKAN, Aksi.JAWAB,
        Aksi.TUTUP)},
    ("kantor", Aksi.REKAP): {"koordinator", "admin"},
    ("kantor", Aksi.AJUKAN_LOKET): {"cs_layanan", "koordinator", "admin"},
    ("kantor", Aksi.CATAT_ADUAN): {"cs_layanan", "koordinator", "admin"},
    ("kantor", Aksi.TAMU): {"cs_layanan", "cs_surat", "koordinator", "admin"},
    ("kantor", Aksi.ANTRIAN): {"cs_layanan", "cs_surat", "koordinator", "admin"},
    ("kantor", Aksi.SURAT): {"cs_surat", "arsiparis", "koordinator", "admin"},
    ("kantor", Aksi.DATA_PRIBADI): {"koordinator", "admin"},
    # the host answers a guest: whom they came to meet (Plt included), koordinator, admin
    ("tamu_kabag", Aksi.TAMU_JAWAB): {"kabag", "koordinator", "admin"},
    ("tamu_kakanwil", Aksi.TAMU_JAWAB): {"kakanwil", "plt_kakanwil", "koordinator", "admin"},
    # a surat masuk is disposed by whoever holds it now (Plt included), or the admin
    ("surat_kakanwil", Aksi.SURAT_DISPOSISI): PIMPINAN_KAKANWIL,
    ("surat_kasubag", Aksi.SURAT_DISPOSISI): KASUBAG,
}
KANTOR_AKSI = [Aksi.REKAP, Aksi.AJUKAN_LOKET, Aksi.CATAT_ADUAN, Aksi.TAMU, Aksi.ANTRIAN,
               Aksi.SURAT, Aksi.DATA_PRIBADI]
TAMU_AKSI = [Aksi.TAMU_JAWAB]
SURAT_AKSI = [Aksi.SURAT_DISPOSISI]
PERMOHONAN_AKSI = [a for a in Aksi if not a.startswith("aduan") and a not in (
    Aksi.KLASIFIKASI, Aksi.TERUSKAN, Aksi.JAWAB, Aksi.TUTUP, *KANTOR_AKSI, *TAMU_AKSI,
    *SURAT_AKSI)]
ADUAN_AKSI = [Aksi.ADUAN_LIHAT, Aksi.ADUAN_PELAPOR, Aksi.ADUAN_BALAS, Aksi.KLASIFIKASI,
              Aksi.TERUSKAN, Aksi.JAWAB, Aksi.TUTUP]


def _cells():
    for name, item in ITEMS.items():
        for aksi in PERMOHONAN_AKSI:
            yield name, item, aksi
    for name, item in ADUAN.items():
        for aksi in ADUAN_AKSI:
            yield name, item, aksi
    for aksi in KANTOR_AKSI:
        yield "kantor", KANTOR["kantor"], aksi
    for name, item in TAMU.items():
        for aksi in TAMU_AKSI:
            yield name, item, aksi
    for name, item in SURAT.items():
        for aksi in SURAT_AKSI:
            yield name, item, aksi


def test_every_action_of_the_table_is_judged_somewhere_here():
    judged = {aksi for _, _, aksi in _cells()}
    assert judged == set(BOLEH) == set(Aksi)


@pytest.mark.parametrize(("item_name", "item", "aksi"), list(_cells()),
                         ids=[f"{n}-{a}" for n, _, a in _cells()])
def test_the_table_says_what_the_office_rules_say(item_name, item, aksi):
    allowed = {name for name in ORANG if boleh(aksi, pelaku(name), item)}
    expected = BOLEH_MENURUT_KANTOR.get((item_name, aksi), None)
    if expected is None:  # cells not written out: only the admin, or nobody
        assert allowed <= {"admin"}, (item_name, aksi, allowed)
    else:
        assert allowed == expected, (item_name, aksi)
    # nobody acts on another office's items
    assert not any(boleh(aksi, pelaku(name, kantor_id=2), item) for name in ORANG)


# -- through Telegram ---------------------------------------------------------------------------

UID = {name: 8100 + i for i, name in enumerate(ORANG)}
BUTTONS = {Aksi.DISPOSISI: "Disposisi", Aksi.INFO: "Minta info", Aksi.TOLAK: "Tolak",
           Aksi.JADWAL: "Terima sendiri · Jadwalkan"}
ACCEPTED = {Aksi.DISPOSISI: "Disposisi", Aksi.INFO: "Minta info", Aksi.TOLAK: "Tolak",
            Aksi.JADWAL: "Jadwalkan audiensi"}


async def test_telegram_does_what_the_table_says_for_every_official(sqlite_app):
    office = Office(sqlite_app)
    ids = {}
    for name, (role, jabatan, tugas) in ORANG.items():
        kode = add_petugas(sqlite_app, name.title(), role, jabatan, tugas)
        await office.tg_send(UID[name], f"/start {kode}")
        with sqlite_app.uow() as uow:
            ids[name] = uow.petugas.by_telegram(UID[name]).id
    with sqlite_app.uow() as uow:
        uow.petugas.add_delegasi(Delegasi(jabatan="kakanwil", petugas_id=ids["plt_kakanwil"],
                                          sampai=date(2026, 12, 31)))
        uow.commit()
    chat = office.chat()
    await audiensi(chat)
    await office.pump()
    await office.tg_send(UID["cs_layanan"], button=office.button(UID["cs_layanan"], "Lengkap"))
    nomor = "PTSP-261124-0001"
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get(nomor)
        assert p.status == "konfirmasi"
        people = {name: uow.petugas.get(i) for name, i in ids.items()}
        delegasi = uow.petugas.delegasi(TODAY)
    item = ItemPermohonan(p, audiensi=True, sekarang=sqlite_app.clock.now())
    data = {aksi: office.button(UID["kakanwil"], label) for aksi, label in BUTTONS.items()}

    for name, petugas in people.items():
        pl = Pelaku.dari(petugas, delegasi, TODAY)
        uid = UID[name]
        # /status: the file, or "not found" (as for a number that does not exist)
        await office.tg_send(uid, f"/status {nomor}")
        sees = "Riwayat" in office.last_text(uid) or "Menunggu konfirmasi" in \
            office.last_text(uid)
        assert sees == boleh(Aksi.LIHAT, pl, item), (name, office.last_text(uid))
        # /balas: sent to the pemohon and named, or refused
        chat._replies()  # what came before
        await office.tg_send(uid, f"/balas {nomor} pesan dari {name}")
        sent = any(f"pesan dari {name}" in t for t in chat._replies())
        assert sent == boleh(Aksi.BALAS, pl, item), name
        # the prompt's buttons: the action starts, or the press is refused
        for aksi, payload in data.items():
            await office.tg_send(uid, button=payload)
            answer = office.answers(uid)[-1]
            assert (answer == ACCEPTED[aksi]) == boleh(aksi, pl, item), (name, aksi, answer)
            await office.tg_send(uid, "/batal")
    with sqlite_app.uow() as uow:  # nothing was changed by all these presses
        assert uow.permohonan.get(nomor).status == "konfirmasi"


# -- through ptsp-admin -------------------------------------------------------------------------

def _cli_cases(tmp_path):
    """(action, the counter command for it); each changes something when allowed."""
    from tests.e2e.whatsapp_harness import pdf

    scan = tmp_path / "surat.pdf"
    scan.write_bytes(pdf("surat undangan"))
    return [
        (Aksi.AJUKAN_LOKET, ["permohonan", "ajukan", "--layanan", "legalisir", "--nama",
                             "Siti Aminah"]),
        (Aksi.CATAT_ADUAN, ["pengaduan", "catat", "--kanal", "telepon", "--isi",
                            "Antrian terlalu lama di loket legalisir"]),
        (Aksi.TAMU, ["tamu", "daftar", "--nama", "Budi Santoso", "--tujuan", "kabag_tu",
                     "--keperluan", "Mengantar undangan"]),
        (Aksi.SURAT, ["surat", "masuk", "catat", "--dari", "Dinas Pendidikan", "--nomor",
                      "005/123/2026", "--tanggal", "2026-11-20", "--perihal", "Undangan",
                      "--scan", str(scan)]),
        (Aksi.SURAT, ["surat", "keluar", "nomor", "--jabatan", "kabag_tu", "--klasifikasi",
                      "KP.01.2", "--perihal", "Jawaban undangan"]),
    ]


def test_ptsp_admin_does_what_the_table_says_for_every_official(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from admin_cli.main import app as admin
    from bot.cli import app as ptsp

    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr("bot.bootstrap.SystemClock.now", lambda self: NOW)
    runner = CliRunner()
    assert runner.invoke(ptsp, ["db", "upgrade"]).exit_code == 0
    ids = {}
    for name, (role, jabatan, tugas) in ORANG.items():
        args = ["petugas", "add", "--nama", name.title(), "--role", role, "--json"]
        args += ["--jabatan", jabatan] if jabatan else []
        args += ["--tugas", ",".join(tugas)] if tugas else []
        out = runner.invoke(admin, args)
        assert out.exit_code == 0, out.output
        ids[name] = json.loads(out.stdout)["id"]
    cases = _cli_cases(tmp_path)
    assert {a for a, _ in cases} | {Aksi.ANTRIAN} == {
        Aksi.AJUKAN_LOKET, Aksi.CATAT_ADUAN, Aksi.TAMU, Aksi.ANTRIAN, Aksi.SURAT}
    for name in ORANG:
        pl = pelaku(name)  # the same kinds of official, judged by the table
        for aksi, args in [*cases, (Aksi.ANTRIAN, ["antrian", "ambil", "A"])]:
            result = runner.invoke(admin, [*args, "--oleh", str(ids[name]), "--json"])
            allowed = boleh(aksi, pl, ItemKantor(1))
            assert (result.exit_code == 0) == allowed, (name, args[:2], result.output)
            if not allowed:
                assert result.exit_code == 1 and "tidak berwenang" in result.stderr
