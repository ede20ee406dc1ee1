"""Reports at a province's scale: `ptsp-admin laporan` on a year of 11 offices in PostgreSQL.

Generates one year (default 2026) into a throw-away PostgreSQL database — by default
1,000,000 permohonan with their riwayat (about 5 per permohonan), 200,000 SKM
responses, 50,000 pengaduan with their riwayat and 200,000 pemohon over 11 kantor (the
first office of config.yml and ten copies of it under other codes and names, written to
a temporary config.yml) — and times every report of `ptsp-admin laporan` on it, for the
first office (the largest, the Kanwil) and for `--provinsi` (all 11):

- `harian` for the busiest day of the busiest month (`--tanggal`) and for the last
  working day of the year (what `harian` shows by default on that day);
- `bulanan`, `pengaduan`, `sla` and `kinerja` for the year's busiest month;
- `semester` and `kinerja --tahun --semester 2` for the second semester;
- `skm --from <1 Jan> --to <31 Dec>` for the whole year;
- one real `ptsp-admin laporan bulanan --bulan <busiest month> --json` in a subprocess
  (start-up, the schema check, bootstrap and the JSON included).

In-process timings build a report the way `ptsp-admin` does (admin_cli.laporan:
`_jalankan` with the command's own `buat`): one unit of work per office from the
container, `_sumber`, the domain builder, the signatory lookup and, for `--provinsi`,
`domain.laporan.provinsi`; only the printing is left out. Best of `--runs` (3). The
clock is pinned to the evening of the year's last day so that the year is the past;
the subprocess runs on the real clock (it only changes which open items count as
overdue). With `--provinsi` on PostgreSQL `bangun` builds up to four offices at once,
each on its own connection. "of which SQL" is the time spent in the database driver's
execute (the query on the server and the transfer of its rows), summed over the
connections (so with offices in parallel it can come close to, or exceed, `seconds`);
the rest is Python (ORM loading, the domain's sums). For every report over `--limit` (5 s) the
slowest statement of its best run is shown with `EXPLAIN (ANALYZE, BUFFERS)`
(`--no-explain` skips it).

The shape of the data: submissions over the working hours of the year's working days
(the office calendar: national holidays, cuti bersama, Ramadan hours), more in July
and October; layanan codes from the catalog files (weighted: legalisir most), routed as
the catalog says (konfirmasi by the confirming jabatan, disposisi to a unit, finished
by a back-office officer of the unit); the SLA deadline from the catalog's time
standard in working time, met by about 85 %; most items finished and handed over,
archived by the system 30 days later, some refused, returned or withdrawn, the last
days of the year still open; riwayat: `menunggu` by "Pemohon", then the officials'
steps ("Ani Lestari (cs)", "Pak Budi Santoso (bo)", "Dr. H. … (pejabat)", a few dozen
per office), `urut` increasing. Pengaduan: kategori, tier, topik and their deadline
from the office's config, kanal, status, and riwayat up to the closing step.

Loading: COPY (psycopg) into the tables with their secondary indexes, unique and
foreign-key constraints dropped, then recreated from their own definitions (which
also checks the generated keys), then VACUUM ANALYZE (the riwayat indexes carry the
columns the reports read, so the visibility map lets them be answered from the indexes
alone, as autovacuum keeps it in a live database). The server's settings are left as
they are; `kinerja` raises `work_mem` for its own transaction (SET LOCAL).

Run (from the repository root):
    .venv/bin/python benchmarks/report_bench.py                 # full scale, ~8 min
    .venv/bin/python benchmarks/report_bench.py --scale 0.05    # a quick run
    .venv/bin/python benchmarks/report_bench.py --keep          # keep the database; then
    .venv/bin/python benchmarks/report_bench.py --url URL --no-load   # time it again
Options: --pg URL (a server URL allowed to CREATE DATABASE; default the local
postgres), --url URL (an existing empty database instead of a new one), --runs N,
--tahun YYYY, --kantor N, --seed N, --limit S, --no-explain, --no-cli.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pgdb import drop_pg, fresh_pg

ROOT = Path(__file__).resolve().parent.parent
PTSP_ADMIN = ROOT / ".venv" / "bin" / "ptsp-admin"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# -- the shape of a year -------------------------------------------------------------------

#: relative volume per month: July (new school year: legalisir ijazah, pindah madrasah)
#: and October (haji and umrah papers) are the busy months; Ramadan (Feb–Mar) is quieter
BULAN_BOBOT = (7, 6, 6, 8, 8, 9, 11, 9, 8, 12, 9, 7)
#: relative volume per layanan code (catalog file names); others get 1
LAYANAN_BOBOT = {
    "legalisir.ijazah": 30, "legalisir.buku_nikah": 14, "legalisir": 6,
    "surat_rekomendasi.paspor_haji": 8, "surat_rekomendasi.paspor_umrah": 9,
    "surat_rekomendasi": 3, "surat_keterangan.pindah_madrasah": 6, "surat_keterangan": 4,
    "audiensi": 3, "surat_pengantar": 3, "data_keagamaan": 2, "tanda_daftar.rumah_ibadah": 2,
    "tanda_daftar.majelis_taklim": 2, "surat_izin.pendirian_madrasah": 1.5,
}
#: not a permohonan: the guest book has its own table
BUKAN_PERMOHONAN = {"tamu"}
#: share of the permohonan of the first office (the Kanwil); the rest share the remainder
BAGIAN_KANWIL = 0.15

NAMA_DEPAN = ("Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko",
              "Kartika", "Lukman", "Maya", "Nanda", "Oki", "Putri", "Rahmat", "Sari", "Taufik",
              "Umi", "Vina", "Wahyu", "Yusuf", "Zahra", "Agus", "Bayu", "Dewi", "Fitri",
              "Hendra", "Imam", "Lina", "Rina", "Siti", "Tono", "Wulan", "Yanti", "Arif",
              "Nur", "Rizky", "Dian")
NAMA_BELAKANG = ("Lestari", "Santoso", "Wijaya", "Saputra", "Hidayat", "Rahayu", "Kurniawan",
                 "Pratama", "Nugroho", "Setiawan", "Susanti", "Hasibuan", "Siregar", "Nasution",
                 "Harahap", "Situmorang", "Lubis", "Ginting", "Simanjuntak", "Purba",
                 "Wibowo", "Handayani", "Permata", "Ramadhan", "Syahputra", "Maulana",
                 "Fauzi", "Anggraini", "Firmansyah", "Utami")
KOTA = ("Kota Contoh", "Kabupaten Contoh Utara", "Kabupaten Contoh Selatan", "Kota Pesisir",
        "Kabupaten Pegunungan", "Kabupaten Lembah Hijau", "Kota Pelabuhan", "Kabupaten Danau",
        "Kabupaten Tanjung", "Kabupaten Bukit Barisan", "Kota Sungai", "Kabupaten Teluk",
        "Kabupaten Rimba", "Kabupaten Kepulauan", "Kota Baru")
KATEGORI_ADUAN = (("pengaduan", 60), ("aspirasi", 20), ("permintaan_informasi", 20))
TIER_ADUAN = (("ringan", 40), ("normatif", 35), ("tidak_berkadar_pengawasan", 20),
              ("berkadar_pengawasan", 5))
TOPIK_BOBOT = {"pelayanan_lambat": 30, "informasi_tidak_jelas": 22, "sikap_petugas": 14,
               "sarana": 12, "berkas_hilang": 6, "pungli_gratifikasi": 2, "lainnya": 14}
KANAL_ADUAN = (("whatsapp", 60), ("langsung", 12), ("telepon", 8), ("surat", 5),
               ("email", 5), ("kotak_saran", 4), ("media_sosial", 3), ("lapor", 3))
TEKS_ADUAN = ("Antrean legalisir terlalu lama, sudah dua jam belum dipanggil.",
              "Petugas kurang ramah saat menjelaskan persyaratan.",
              "Mohon informasi jadwal pendaftaran haji tahun depan.",
              "Usul agar ruang tunggu diberi kipas angin tambahan.",
              "Berkas saya belum ada kabar setelah seminggu.",
              "Informasi persyaratan di website berbeda dengan di loket.")
JAM_HARI = 8 * 3600  # a working day in the SLA of `hari_kerja` items (working seconds)


def _pilih(pairs: Any) -> tuple[list[Any], list[float]]:
    kunci = [k for k, _ in pairs]
    cum, s = [], 0.0
    for _, w in pairs:
        s += w
        cum.append(s)
    return kunci, cum


# -- the working-time line of the year -------------------------------------------------------


class GarisKerja:
    """The year's opening hours laid end to end: a working second `w` ↔ a UTC epoch.

    Everything an official does happens at a point of this line, so steps fall inside
    opening hours and "N working hours later" is `w + N * 3600`.
    """

    def __init__(self, kalender: Any, tahun: int):
        self.w0: list[float] = []  # working seconds before each opening range
        self.t0: list[float] = []  # epoch of each range's start
        self.hari: list[tuple[date, float, float]] = []  # (day, w at its start, its length)
        w = 0.0
        d = date(tahun, 1, 1)
        while d.year == tahun:
            mulai_hari = w
            for a, b in kalender.ranges_on(d):
                self.w0.append(w)
                self.t0.append(a.timestamp())
                w += (b - a).total_seconds()
            if w > mulai_hari:
                self.hari.append((d, mulai_hari, w - mulai_hari))
            d += timedelta(days=1)
        self.total = w

    def epoch(self, w: float) -> float | None:
        """The epoch of working second `w`, None past the year's last opening minute."""
        if w >= self.total:
            return None
        i = bisect.bisect_right(self.w0, w) - 1
        return self.t0[i] + (w - self.w0[i])

    def bobot_hari(self) -> list[float]:
        """Cumulative weights of the working days: the month's share spread over its hours."""
        per_bulan: dict[int, float] = {}
        for d, _, n in self.hari:
            per_bulan[d.month] = per_bulan.get(d.month, 0) + n
        cum, s = [], 0.0
        for d, _, n in self.hari:
            s += BULAN_BOBOT[d.month - 1] * n / per_bulan[d.month]
            cum.append(s)
        return cum

    def acak(self, rng: random.Random, k: int) -> list[float]:
        """`k` working seconds: days drawn by month weight, uniform within their hours."""
        idx = rng.choices(range(len(self.hari)), cum_weights=self.bobot_hari(), k=k)
        return [self.hari[i][1] + rng.random() * self.hari[i][2] for i in idx]


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)


# -- the offices' staff ----------------------------------------------------------------------


@dataclass
class Staf:
    cs: list[str]
    bo_unit: dict[str, list[str]]  # unit jabatan → back-office labels
    bo: list[str]
    pejabat: dict[str, str]  # jabatan → the holder's label
    koordinator: str
    rows: list[tuple[str, str, str | None, str]]  # (nama, role, jabatan, tugas)


def _staf(rng: random.Random, profil: Any, units: list[str]) -> Staf:
    used: set[str] = set()

    def nama(gelar: str = "") -> str:
        while True:
            n = f"{gelar}{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}"
            if n not in used:
                used.add(n)
                return n

    rows: list[tuple[str, str, str | None, str]] = []
    cs = []
    for _ in range(8):
        n = nama()
        rows.append((n, "cs", None, "layanan,aduan_skm"))
        cs.append(f"{n} (cs)")
    bo_unit: dict[str, list[str]] = {}
    bo = []
    for i in range(14):
        n = nama(rng.choice(("Pak ", "Bu ", "")))
        unit = units[i % len(units)]
        rows.append((n, "bo", unit, "layanan"))
        bo_unit.setdefault(unit, []).append(f"{n} (bo)")
        bo.append(f"{n} (bo)")
    pejabat = {}
    for kode in profil.jabatan:
        n = nama(rng.choice(("Dr. H. ", "H. ", "Hj. ", "Drs. ", "")))
        rows.append((n, "pejabat", kode, ""))
        pejabat[kode] = f"{n} (pejabat)"
    k = nama()
    rows.append((k, "koordinator", None, "layanan,surat,aduan_skm"))
    rows.append((nama(), "arsiparis", None, "surat"))
    return Staf(cs, bo_unit, bo, pejabat, f"{k} (koordinator)", rows)


# -- generation and loading -----------------------------------------------------------------


TABEL_MUAT = ("petugas", "pemohon", "permohonan", "pengaduan", "riwayat", "survei_skm")


def _lepas_indeks(conn: Any) -> list[str]:
    """Drop the loaded tables' foreign keys, unique constraints and secondary indexes.

    Returns the statements that put them back, in order.
    """
    tabel = list(TABEL_MUAT)
    fk = conn.execute(
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND (conrelid::regclass::text = ANY(%s) "
        "OR confrelid::regclass::text = ANY(%s))", (tabel, tabel)).fetchall()
    uq = conn.execute(
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)", (tabel,)).fetchall()
    ix = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", (tabel,)).fetchall()
    for name, rel, _ in fk:
        conn.execute(f'ALTER TABLE {rel} DROP CONSTRAINT "{name}"')
    for name, rel, _ in uq:
        conn.execute(f'ALTER TABLE {rel} DROP CONSTRAINT "{name}"')
    for name, _ in ix:
        conn.execute(f"DROP INDEX {name}")
    return ([d for _, d in ix]
            + [f'ALTER TABLE {rel} ADD CONSTRAINT "{n}" {d}' for n, rel, d in uq]
            + [f'ALTER TABLE {rel} ADD CONSTRAINT "{n}" {d}' for n, rel, d in fk])


class Penulis:
    """COPY into one table on a connection of its own; counts the rows."""

    def __init__(self, dsn: str, tabel: str, kolom: str):
        import psycopg

        self.conn = psycopg.connect(dsn)
        self.conn.execute("SET synchronous_commit = off")
        self.cur = self.conn.cursor()
        self.ctx = self.cur.copy(f"COPY {tabel} ({kolom}) FROM STDIN")
        self.copy = self.ctx.__enter__()
        self.tabel, self.n, self.t0 = tabel, 0, time.perf_counter()

    def row(self, r: tuple) -> None:
        self.copy.write_row(r)
        self.n += 1

    def tutup(self) -> float:
        self.ctx.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()
        return time.perf_counter() - self.t0


@dataclass
class Ukuran:
    permohonan: int
    skm: int
    pengaduan: int
    pemohon: int

    @classmethod
    def skala(cls, s: float) -> Ukuran:
        return cls(max(200, round(1_000_000 * s)), max(40, round(200_000 * s)),
                   max(20, round(50_000 * s)), max(100, round(200_000 * s)))


def muat(k: Any, dsn: str, ukuran: Ukuran, tahun: int, now: datetime, seed: int) -> dict:
    """Generate and COPY the year; returns the load times."""
    import psycopg

    rng = random.Random(seed)
    kids = list(k.kantor)
    profil0 = k.profil(kids[0])
    garis = GarisKerja(profil0.kalender, tahun)
    now_e = now.timestamp()
    tz = profil0.kalender.tz
    waktu: dict[str, float] = {}

    # the layanan, their routing and time standard from the catalog
    katalog = k.katalog_of(kids[0])
    kode_layanan = sorted(p.stem for p in (ROOT / "catalog").glob("*.yml")
                          if p.stem not in BUKAN_PERMOHONAN)
    lay: dict[str, dict[str, Any]] = {}
    for kode in kode_layanan:
        item = katalog.resolve(kode)
        jw = item.jangka_waktu
        detik = jw.menit(JAM_HARI // 60) * 60
        lay[kode] = {"sla": detik, "dari_pengajuan": str(jw.mulai) == "pengajuan",
                     "konfirmasi": item.routing.konfirmasi,
                     "unit": list(item.routing.disposisi_ke)}
    units = sorted({u for v in lay.values() for u in v["unit"]} - {None})
    lay_k, lay_cum = _pilih([(kd, LAYANAN_BOBOT.get(kd, 1)) for kd in kode_layanan])

    staf = {kid: _staf(rng, k.profil(kid), units) for kid in kids}
    bobot_kantor = [BAGIAN_KANWIL] + [(1 - BAGIAN_KANWIL) / (len(kids) - 1)] * (len(kids) - 1) \
        if len(kids) > 1 else [1.0]

    with psycopg.connect(dsn, autocommit=True) as conn:
        t0 = time.perf_counter()
        kembali = _lepas_indeks(conn)
        waktu["drop indexes"] = time.perf_counter() - t0

    # -- petugas and pemohon
    t0 = time.perf_counter()
    pt = Penulis(dsn, "petugas", "kantor_id, nama, role, jabatan, tugas, aktif")
    for kid in kids:
        for nama, role, jab, tugas in staf[kid].rows:
            pt.row((kid, nama, role, jab, tugas, True))
    pt.tutup()
    pm = Penulis(dsn, "pemohon", "id, kantor_id, kanal, kanal_id, nama, hp, nik, jenis, "
                                 "persetujuan_at")
    pemohon_kantor: dict[int, tuple[int, int]] = {}  # kid → (first id, count)
    nama_pemohon: list[str] = [""]
    pid = 0
    for kid, w in zip(kids, bobot_kantor, strict=True):
        n = max(1, round(ukuran.pemohon * w))
        pemohon_kantor[kid] = (pid + 1, n)
        for _ in range(n):
            pid += 1
            hp = f"+6281{(pid * 48271) % 10**9:09d}"  # distinct per pemohon
            nama = f"{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}"
            nama_pemohon.append(nama)
            nik = f"{rng.randrange(11, 95)}{rng.randrange(10**13, 10**14)}"
            pm.row((pid, kid, "whatsapp", hp, nama, hp, nik, "perorangan",
                    _dt(garis.t0[0])))
    waktu["pemohon"] = pm.tutup()
    n_pemohon = pid
    print(f"  pemohon: {n_pemohon:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)

    # -- permohonan and their riwayat
    t0 = time.perf_counter()
    ws = garis.acak(rng, ukuran.permohonan)
    kant = rng.choices(kids, weights=bobot_kantor, k=ukuran.permohonan)
    urutan = sorted(zip(ws, kant, strict=True))
    skm_dari = set(rng.sample(range(ukuran.permohonan), min(ukuran.skm, ukuran.permohonan)))
    skm_rows: list[tuple] = []
    pr = Penulis(dsn, "permohonan",
                 "id, kantor_id, nomor, layanan, pengaju_id, atas_nama, diajukan, status, "
                 "pemegang, konfirmator, data, checklist, menunggu_pemohon, sla_tenggat, "
                 "sla_jeda_sejak, sla_mulai")
    rw = Penulis(dsn, "riwayat",
                 "id, kantor_id, permohonan_id, pengaduan_id, urut, waktu, sejak, status, dari, "
                 "oleh, catatan")
    rid = 0
    hari_nomor: dict[date, int] = {}
    rnd = rng.random
    for i, (w, kid) in enumerate(urutan):
        pid_ = i + 1
        s = staf[kid]
        kode = rng.choices(lay_k, cum_weights=lay_cum)[0]
        L = lay[kode]
        t_aju = garis.epoch(w)
        hari = datetime.fromtimestamp(t_aju, tz).date()
        urut_hari = hari_nomor.get(hari, 0) + 1
        hari_nomor[hari] = urut_hari
        nomor = f"PTSP-{hari:%y%m%d}-{urut_hari:04d}"
        first, cnt = pemohon_kantor[kid]
        pengaju = first + rng.randrange(cnt)
        steps: list[tuple[float, str, str | None, str, str | None]] = [
            (t_aju, "menunggu", None, "Pemohon", "diajukan")]
        cs = rng.choice(s.cs)
        unit = rng.choice(L["unit"]) if L["unit"] else None
        pemegang: str | None = "cs"
        tenggat = jeda = mulai = None
        menunggu_pemohon = False
        w_cek = w + rng.uniform(120, 2400)  # the desk checks the file
        sla_w0 = w if L["dari_pengajuan"] else w_cek
        sla_e = garis.epoch(sla_w0 + L["sla"])
        r = rnd()
        t_cek = garis.epoch(w_cek)
        if t_cek is None:  # not checked before the year ended
            status = "menunggu"
            if L["dari_pengajuan"]:
                mulai, tenggat = t_aju, sla_e
        elif r < 0.04:  # returned for a missing paper, then withdrawn or cancelled
            steps.append((t_cek, "dikembalikan", "menunggu", cs,
                          "berkas belum lengkap: scan KTP tidak terbaca"))
            if L["dari_pengajuan"]:
                mulai, tenggat = t_aju, sla_e
            t_batal = garis.epoch(w_cek + rng.uniform(0.5, 14) * JAM_HARI)
            status = "dikembalikan"
            if t_batal is not None:
                oleh, cat = (("Pemohon", "dibatalkan pemohon") if rnd() < 0.5 else
                             ("Sistem", "dibatalkan otomatis: 14 hari kerja tanpa kelengkapan"))
                steps.append((t_batal, "dibatalkan", "dikembalikan", oleh, cat))
                status, jeda = "dibatalkan", t_batal
        else:
            mulai, tenggat = (t_aju if L["dari_pengajuan"] else t_cek), sla_e
            w_now = w_cek
            if L["konfirmasi"]:
                steps.append((t_cek, "konfirmasi", "menunggu", cs, None))
                pemegang = L["konfirmasi"]
                w_now = w_cek + rng.uniform(0.02, 0.25) * max(L["sla"], 3600)
                t = garis.epoch(w_now)
                if t is not None:
                    steps.append((t, "proses", "konfirmasi", s.pejabat[L["konfirmasi"]],
                                  f"disposisi ke {unit}: tindak lanjuti"))
                    pemegang = unit or "bo"
            else:
                steps.append((t_cek, "proses", "menunggu", cs, None))
                pemegang = unit or "bo"
            pelaksana = rng.choice(s.bo_unit.get(unit or "", s.bo) or s.bo)
            macet = rnd() < 0.01  # stuck in the back office: overdue at the year's end
            # the finishing step: on time for ~85 %
            sisa = (sla_w0 + L["sla"]) - w_now
            if rnd() < 0.85:
                w_akhir = w_now + max(60.0, sisa) * rng.uniform(0.15, 0.98) if sisa > 60 \
                    else w_now + rng.uniform(30, 60)
            else:
                w_akhir = max(w_now, sla_w0 + L["sla"]) + L["sla"] * rng.uniform(0.05, 1.5) + 60
            if rnd() < 0.08:  # the officer asks for information, the pemohon answers
                wi = w_now + (w_akhir - w_now) * 0.3
                wj = w_now + (w_akhir - w_now) * 0.6
                ti, tj = garis.epoch(wi), garis.epoch(wj)
                if ti is not None:
                    steps.append((ti, "proses", "proses", pelaksana,
                                  "minta info: mohon kirim ulang pindaian yang jelas"))
                    if tj is None:
                        menunggu_pemohon, jeda = True, ti
                    else:
                        steps.append((tj, "proses", "proses", "Pemohon",
                                      "jawaban: sudah saya kirim ulang"))
            t_akhir = None if macet else garis.epoch(w_akhir)
            status = steps[-1][1]  # still open: konfirmasi or proses
            if t_akhir is not None and not menunggu_pemohon:
                r2 = rnd()
                if r2 < 0.035:
                    akhir, oleh, cat = ("ditolak", s.pejabat.get(unit or "", pelaksana),
                                        "ditolak: tidak memenuhi ketentuan")
                elif r2 < 0.07:
                    akhir, oleh, cat = ("tidak_sesuai", pelaksana,
                                        "tidak sesuai: data pada dokumen berbeda")
                else:
                    akhir, oleh, cat = "selesai", pelaksana, None
                steps.append((t_akhir, akhir, steps[-1][1], oleh, cat))
                status, jeda = akhir, t_akhir
                if akhir in ("selesai", "tidak_sesuai") and rnd() < 0.92:
                    t_serah = garis.epoch(w_akhir + rng.uniform(600, 3 * JAM_HARI))
                    if t_serah is not None:
                        steps.append((t_serah, "diserahkan", akhir, rng.choice(s.cs), None))
                        status = "diserahkan"
                arsip = steps[-1][0] + 30 * 86400 + rng.uniform(0, 3600)
                if arsip < now_e and rnd() < 0.7:
                    steps.append((arsip, "diarsipkan", status, "Sistem", "diarsipkan otomatis"))
                    status = "diarsipkan"
        data = '{"kanal": "loket"}' if rnd() < 0.3 else "{}"
        pr.row((pid_, kid, nomor, kode, pengaju, nama_pemohon[pengaju], _dt(t_aju), status,
                pemegang, L["konfirmasi"], data, "{}", menunggu_pemohon,
                _dt(tenggat) if tenggat else None, _dt(jeda) if jeda else None,
                _dt(mulai) if mulai else None))
        for u, (t, st, dari, oleh, cat) in enumerate(steps):
            rid += 1
            sejak = _dt(steps[u - 1][0]) if u else None
            rw.row((rid, kid, pid_, None, u, _dt(t), sejak, st, dari, oleh, cat))
        if i in skm_dari:
            t_skm = next(x[0] for x in reversed(steps) if x[3] != "Sistem")
            tgl = datetime.fromtimestamp(t_skm, tz).date()
            if tgl.year == tahun:
                wa = rnd() < 0.75
                skm_rows.append((kid, tgl, kode, nomor if wa else None,
                                 "whatsapp" if wa else "kertas"))
        if pid_ % 100_000 == 0:
            print(f"  permohonan: {pid_:,} …", flush=True)
    waktu["permohonan"] = pr.tutup()
    n_perm, n_rw_perm = pr.n, rw.n
    print(f"  permohonan: {n_perm:,} rows, riwayat {n_rw_perm:,} rows, "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    # -- pengaduan and their riwayat (same riwayat COPY)
    t0 = time.perf_counter()
    ad = Penulis(dsn, "pengaduan",
                 "id, kantor_id, nomor, kategori, teks, tier, topik, status, diterima, tenggat, "
                 "anonim, pelapor_id, nomor_terkait, diteruskan_ke, kanal")
    ws = sorted(zip(garis.acak(rng, ukuran.pengaduan),
                    rng.choices(kids, weights=bobot_kantor, k=ukuran.pengaduan), strict=True))
    kat_k, kat_c = _pilih(KATEGORI_ADUAN)
    tier_k, tier_c = _pilih(TIER_ADUAN)
    kanal_k, kanal_c = _pilih(KANAL_ADUAN)
    topik_k, topik_c = _pilih([(t, TOPIK_BOBOT.get(t, 5)) for t in profil0.topik])
    hari_nomor = {}
    for i, (w, kid) in enumerate(ws):
        aid = i + 1
        s, profil = staf[kid], k.profil(kid)
        t_terima = garis.epoch(w)
        hari = datetime.fromtimestamp(t_terima, tz).date()
        hari_nomor[hari] = hari_nomor.get(hari, 0) + 1
        nomor = f"ADU-{hari:%y%m%d}-{hari_nomor[hari]:04d}"
        kanal = rng.choices(kanal_k, cum_weights=kanal_c)[0]
        cs = rng.choice(s.cs)
        steps = [(t_terima, "diterima", None,
                  "Pelapor" if kanal == "whatsapp" else cs,
                  None if kanal == "whatsapp" else f"dicatat dari kanal {kanal}")]
        tier, topik, tenggat, status, teruskan = "belum_ditentukan", None, None, "diterima", "[]"
        w_kl = w + rng.uniform(300, 7200)
        t_kl = garis.epoch(w_kl)
        if t_kl is not None and rnd() < 0.97:
            tier = rng.choices(tier_k, cum_weights=tier_c)[0]
            topik = rng.choices(topik_k, cum_weights=topik_c)[0]
            bt = profil.tier[tier]
            batas = (bt.jam_kerja * 3600 if bt.jam_kerja else bt.hari_kerja * JAM_HARI)
            te = garis.epoch(w + batas)
            tenggat = te if te is not None else now_e + (w + batas - garis.total)
            steps.append((t_kl, "diverifikasi", None, cs, f"tier {tier}, topik {topik}"))
            status = "diverifikasi"
            w_last = w_kl
            penjawab = cs
            if tier != "ringan" and rnd() < 0.5:
                jab = rng.choice(sorted(profil.jabatan))
                w_last = w_kl + rng.uniform(0.02, 0.2) * batas
                t = garis.epoch(w_last)
                if t is not None:
                    steps.append((t, "diteruskan", None, cs, f"diteruskan kepada {jab}"))
                    status, teruskan, penjawab = "diteruskan", json.dumps([jab]), s.pejabat[jab]
            sisa = w + batas - w_last
            w_tutup = (w_last + max(sisa, 120) * rng.uniform(0.2, 0.97) if rnd() < 0.85
                       else w + batas * rng.uniform(1.05, 2.0))
            t_tutup = garis.epoch(w_tutup)
            if t_tutup is not None:
                if status == "diteruskan" and rnd() < 0.3:
                    t_tl = garis.epoch(w_last + (w_tutup - w_last) * 0.5)
                    steps.append((t_tl, "ditindaklanjuti", None, penjawab,
                                  "sedang kami tindak lanjuti"))
                    status = "ditindaklanjuti"
                tutup = "ditolak" if rnd() < 0.05 else "selesai"
                steps.append((t_tutup, tutup, None, penjawab,
                              "terima kasih, sudah kami perbaiki" if tutup == "selesai"
                              else "bukan kewenangan kantor ini"))
                status = tutup
        anonim = rnd() < 0.1
        first, cnt = pemohon_kantor[kid]
        ad.row((aid, kid, nomor, rng.choices(kat_k, cum_weights=kat_c)[0],
                rng.choice(TEKS_ADUAN), tier, topik, status, _dt(t_terima),
                _dt(tenggat) if tenggat else None, anonim,
                None if anonim else first + rng.randrange(cnt), None, teruskan, kanal))
        for u, (t, st, dari, oleh, cat) in enumerate(steps):
            rid += 1
            sejak = _dt(steps[u - 1][0]) if u else None
            rw.row((rid, kid, None, aid, u, _dt(t), sejak, st, dari, oleh, cat))
    waktu["pengaduan"] = ad.tutup()
    waktu["riwayat"] = rw.tutup()
    print(f"  pengaduan: {ad.n:,} rows, riwayat {rw.n - n_rw_perm:,} rows, "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    # -- SKM: the answers of some of the year's pemohon (WhatsApp after the service, paper)
    t0 = time.perf_counter()
    sk = Penulis(dsn, "survei_skm", "kantor_id, tanggal, nilai, layanan, nomor, sumber")
    mutu = {kid: rng.uniform(-0.25, 0.25) for kid in kids}  # offices differ a little
    for kid, tgl, kode, nomor, sumber in skm_rows:
        m = mutu[kid]
        nilai = [1 if (x := rnd() + m) < 0.02 else 2 if x < 0.09 else 3 if x < 0.55 else 4
                 for _ in range(9)]
        sk.row((kid, tgl, json.dumps(nilai), kode, nomor, sumber))
    waktu["survei_skm"] = sk.tutup()
    print(f"  survei_skm: {sk.n:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        t0 = time.perf_counter()
        for stmt in kembali:
            conn.execute(stmt)
        waktu["indexes + constraints"] = time.perf_counter() - t0
        for tabel, kol in (("pemohon", "id"), ("permohonan", "id"), ("riwayat", "id"),
                           ("pengaduan", "id"), ("survei_skm", "id"), ("petugas", "id")):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{tabel}', '{kol}'), "
                         f"(SELECT coalesce(max({kol}), 0) + 1 FROM {tabel}), false)")
        t0 = time.perf_counter()
        # ANALYZE for the planner; VACUUM sets the hint bits and the visibility map as a
        # database in service has them (and keeps autovacuum from running during timing)
        conn.execute("VACUUM (ANALYZE)")
        waktu["VACUUM ANALYZE"] = time.perf_counter() - t0
    return waktu


# -- timing the reports ------------------------------------------------------------------------


class FixedClock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


class PencatatSql:
    """Time in the driver's execute, and the statements of the current run."""

    def __init__(self, engine: Any):
        from sqlalchemy import event

        self.detik, self.stmts, self._t = 0.0, [], 0.0
        event.listen(engine, "before_cursor_execute", self._sebelum)
        event.listen(engine, "after_cursor_execute", self._sesudah)

    def _sebelum(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_t0"] = time.perf_counter()  # per connection: offices run in threads

    def _sesudah(self, conn, cursor, statement, parameters, context, executemany) -> None:
        d = time.perf_counter() - conn.info.pop("bench_t0")
        self.detik += d
        self.stmts.append((d, statement, parameters))

    def mulai(self) -> None:
        self.detik, self.stmts = 0.0, []


@dataclass
class Hasil:
    laporan: str
    perintah: str  # the ptsp-admin arguments it stands for
    cakupan: str
    periode: str
    baris: str
    detik: float
    sql: float
    stmts: list[tuple[float, str, Any]]


def jalankan(k: Any, kids: list[int], buat: Callable, now: datetime, skm: bool = False) -> Any:
    """admin_cli.laporan's `bangun` (what `_jalankan` prints): the report and its signatory."""
    from admin_cli.laporan import bangun

    daftar, gabungan, ttd = bangun(k, kids, buat, now, skm=skm, provinsi=len(kids) > 1)
    return gabungan or daftar[0], ttd


def _buat(jenis: str, tahun: int, bulan: str, hari: date) -> tuple[Callable, bool]:
    """The `buat` of each ptsp-admin command (admin_cli/laporan.py), with its options."""
    from dataclasses import replace as rep

    from domain import laporan as lp

    if jenis == "harian":
        return (lambda uow, src, tz, now: lp.laporan_harian(uow, src, hari, now)), False
    if jenis == "bulanan":
        return (lambda uow, src, tz, now: lp.laporan_bulanan(
            uow, src, lp.periode_bulan(bulan, tz), now)), False
    if jenis == "semester":
        return (lambda uow, src, tz, now: lp.laporan_semester(
            uow, src, lp.periode_semester(tahun, 2, tz), now)), False
    if jenis == "sla":
        return (lambda uow, src, tz, now: lp.laporan_sla(
            uow, src, lp.periode_bulan(bulan, tz), now)), False
    if jenis == "kinerja":
        return (lambda uow, src, tz, now: lp.laporan_kinerja(
            uow, src, lp.periode_bulan(bulan, tz), now)), False
    if jenis == "kinerja semester":
        return (lambda uow, src, tz, now: lp.laporan_kinerja(
            uow, src, lp.periode_semester(tahun, 2, tz), now)), False
    if jenis == "pengaduan":
        return (lambda uow, src, tz, now: lp.laporan_pengaduan(
            uow, src, lp.periode_bulan(bulan, tz), now, bulan)), False
    if jenis == "skm":
        d1, d2 = date(tahun, 1, 1), date(tahun, 12, 31)

        def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
            periode = lp.periode_rentang(d1, d2, tz)
            sel = list(uow.laporan.skm(d1, d2))
            r = lp.laporan_skm(uow, src, periode, now, None, sel=sel)
            return rep(r, data={**r.data, "_sel": sel})
        return buat, True
    raise ValueError(jenis)


def _hitung(k: Any, kids: list[int], jenis: str, mulai: datetime, akhir: datetime) -> str:
    """What the report reads in its period, counted in SQL (not timed)."""
    from sqlalchemy import text

    q = {"permohonan": ("SELECT count(*) FROM permohonan WHERE kantor_id = ANY(:k) "
                        "AND diajukan >= :a AND diajukan < :b", "permohonan"),
         "pengaduan": ("SELECT count(*) FROM pengaduan WHERE kantor_id = ANY(:k) "
                       "AND diterima >= :a AND diterima < :b", "pengaduan"),
         "langkah": ("SELECT count(*) FROM riwayat WHERE kantor_id = ANY(:k) "
                     "AND permohonan_id IS NOT NULL AND waktu >= :a AND waktu < :b "
                     "AND oleh NOT IN ('Pemohon', 'Sistem')", "petugas steps"),
         "skm": ("SELECT count(*) FROM survei_skm WHERE kantor_id = ANY(:k) "
                 "AND tanggal >= :a AND tanggal < :b", "SKM responses")}[jenis]
    a, b = (mulai.date(), akhir.date()) if jenis == "skm" else (mulai, akhir)
    with k.db.engine.connect() as c:
        n = c.execute(text(q[0]), {"k": kids, "a": a, "b": b}).scalar_one()
    return f"{n:,} {q[1]}"


def sibuk(k: Any, tz: Any, tahun: int) -> tuple[str, date, date]:
    """The busiest month, its busiest day and the last working day with submissions."""
    from sqlalchemy import text

    zona = str(tz)
    with k.db.engine.connect() as c:
        bulan = c.execute(text(
            "SELECT to_char(diajukan AT TIME ZONE :z, 'YYYY-MM') m, count(*) n FROM permohonan "
            "WHERE extract(year FROM diajukan AT TIME ZONE :z) = :y "
            "GROUP BY m ORDER BY n DESC, m LIMIT 1"), {"z": zona, "y": tahun}).first()[0]
        hari = c.execute(text(
            "SELECT (diajukan AT TIME ZONE :z)::date d, count(*) n FROM permohonan "
            "WHERE to_char(diajukan AT TIME ZONE :z, 'YYYY-MM') = :m "
            "GROUP BY d ORDER BY n DESC, d LIMIT 1"), {"z": zona, "m": bulan}).first()[0]
        akhir = c.execute(text(
            "SELECT max((diajukan AT TIME ZONE :z)::date) FROM permohonan "
            "WHERE extract(year FROM diajukan AT TIME ZONE :z) = :y"),
            {"z": zona, "y": tahun}).scalar_one()
    return bulan, hari, akhir


def ukur(k: Any, pencatat: PencatatSql, now: datetime, tahun: int, runs: int
         ) -> tuple[list[Hasil], str]:
    from domain import laporan as lp

    kids = list(k.kantor)
    tz = k.profil(kids[0]).kalender.tz
    bulan, hari, akhir = sibuk(k, tz, tahun)
    print(f"busiest month {bulan}, its busiest day {hari}, last working day {akhir}",
          flush=True)
    pb, ps = lp.periode_bulan(bulan, tz), lp.periode_semester(tahun, 2, tz)
    py = lp.periode_rentang(date(tahun, 1, 1), date(tahun, 12, 31), tz)
    rencana = [
        ("harian", f"harian --tanggal {hari}", hari, lp.periode_rentang(hari, hari, tz),
         "permohonan"),
        ("harian", f"harian --tanggal {akhir}", akhir, lp.periode_rentang(akhir, akhir, tz),
         "permohonan"),
        ("bulanan", f"bulanan --bulan {bulan}", hari, pb, "permohonan"),
        ("pengaduan", f"pengaduan --bulan {bulan}", hari, pb, "pengaduan"),
        ("sla", f"sla --bulan {bulan}", hari, pb, "permohonan"),
        ("kinerja", f"kinerja --bulan {bulan}", hari, pb, "langkah"),
        ("semester", f"semester --tahun {tahun} --semester 2", hari, ps, "permohonan"),
        ("kinerja semester", f"kinerja --tahun {tahun} --semester 2", hari, ps, "langkah"),
        ("skm", f"skm --from {tahun}-01-01 --to {tahun}-12-31", hari, py, "skm"),
    ]
    out = []
    for jenis, perintah, h, periode, hitung in rencana:
        buat, skm = _buat(jenis, tahun, bulan, h)
        for cakupan, ids in ((k.profil(kids[0]).kode, kids[:1]),
                             (f"--provinsi ({len(kids)})", kids)):
            best, sql, stmts = float("inf"), 0.0, []
            for _ in range(runs):
                pencatat.mulai()
                t0 = time.perf_counter()
                jalankan(k, ids, buat, now, skm=skm)
                d = time.perf_counter() - t0
                if d < best:
                    best, sql, stmts = d, pencatat.detik, list(pencatat.stmts)
            baris = _hitung(k, ids, hitung, periode.mulai, periode.akhir)
            h_ = Hasil(jenis, perintah, cakupan, periode.label, baris, best, sql, stmts)
            out.append(h_)
            print(f"  {perintah:<40} {cakupan:<16} {best:8.2f} s  (sql {sql:.2f} s)  {baris}",
                  flush=True)
    return out, bulan


def cli(env: dict[str, str], bulan: str, runs: int) -> tuple[float, float, int]:
    """`ptsp-admin laporan bulanan --bulan … --json` end to end: (best, first, permohonan)."""
    cmd = [str(PTSP_ADMIN), "laporan", "bulanan", "--bulan", bulan, "--json"]
    times, n = [], -1
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"ptsp-admin failed ({p.returncode}): {p.stderr[-2000:]}")
        n = json.loads(p.stdout)["permohonan"]
    return min(times), times[0], n


def explain(k: Any, h: Hasil) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of a report's best run."""
    if not h.stmts:
        return "(no statement)"
    d, stmt, params = max(h.stmts, key=lambda x: x[0])
    with k.db.engine.connect() as c:
        rows = c.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + stmt, params).fetchall()
    plan = "\n".join(r[0] for r in rows)
    per = sorted(h.stmts, key=lambda x: -x[0])[:5]
    top = "\n".join(f"  {x[0]:.3f} s  {' '.join(x[1].split())[:140]}" for x in per)
    return (f"{len(h.stmts)} statements, {h.sql:.2f} s of {h.detik:.2f} s in SQL; the slowest:"
            f"\n{top}\n\nslowest statement ({d:.2f} s):\n{stmt}\n\n{plan}")


# -- main ----------------------------------------------------------------------------------


def tulis_config(tmp: Path, n_kantor: int) -> Path:
    """config.yml with the first office and n-1 copies of it under other codes and names."""
    import yaml

    cfg = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    cfg["catalog_dir"] = str(ROOT / "catalog")
    cfg["pesan_file"] = str(ROOT / "pesan.yml")
    pertama = cfg["kantor"][0]
    kantor = [pertama]
    for i in range(1, n_kantor):
        kota = KOTA[(i - 1) % len(KOTA)] + ("" if i <= len(KOTA) else f" {i}")
        x = copy.deepcopy(pertama)
        x.update(kode=f"kankemenag_{i:02d}", nama=f"Kantor Kementerian Agama {kota}",
                 singkatan=f"Kankemenag {kota}", kode_naskah=f"Kk.18.{i:02d}",
                 whatsapp=f"+62811000001{i:02d}",
                 email=f"ptsp@kankemenag-{i:02d}.kemenag.go.id")
        kantor.append(x)
    cfg["kantor"] = kantor
    path = tmp / "config.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0,
                    help="1.0 = 1,000,000 permohonan, 200,000 SKM, 50,000 pengaduan")
    ap.add_argument("--pg", default=DEFAULT_PG, help="a server URL allowed to CREATE DATABASE")
    ap.add_argument("--url", help="use this (empty, or with --no-load loaded) database")
    ap.add_argument("--no-load", action="store_true",
                    help="with --url: time the data already there (a database kept with --keep)")
    ap.add_argument("--keep", action="store_true", help="do not drop the database")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tahun", type=int, default=2026)
    ap.add_argument("--kantor", type=int, default=11)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--limit", type=float, default=5.0, help="seconds a report may take")
    ap.add_argument("--no-explain", action="store_true")
    ap.add_argument("--no-cli", action="store_true", help="skip the ptsp-admin subprocess")
    args = ap.parse_args()
    if args.no_load and not args.url:
        ap.error("--no-load needs --url")

    name = None
    if args.url:
        url = args.url
    else:
        url, name = fresh_pg(args.pg, "ptsp_report_bench")
    print(f"database: {url}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="ptsp_report_bench_"))
    try:
        _bench(args, url, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if name and not args.keep:
            drop_pg(args.pg, name)
            print(f"dropped {name}")
        elif name:
            print(f"kept: --url {url} --no-load")


def _bench(args: argparse.Namespace, url: str, tmp: Path) -> None:
    from sqlalchemy import text

    env = {**os.environ, "PTSP_CONFIG": str(tulis_config(tmp, args.kantor)),
           "PTSP_DATABASE_URL": url, "PTSP_DATA_DIR": str(tmp / "data")}
    os.environ.update({k: env[k] for k in ("PTSP_CONFIG", "PTSP_DATABASE_URL",
                                           "PTSP_DATA_DIR")})
    from bot.bootstrap import bootstrap
    from bot.settings import load_settings
    from storage.migrate import upgrade

    upgrade(url)
    settings = load_settings()
    tz = ZoneInfo(settings.kantor[0].timezone)
    now = datetime.combine(date(args.tahun, 12, 31), dtime(20, 0), tzinfo=tz)
    k = bootstrap(settings, clock=FixedClock(now))
    dsn = k.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with k.db.engine.connect() as c:
        ada = c.execute(text("SELECT count(*) FROM permohonan")).scalar_one()
        info = {x: c.execute(text(f"SHOW {x}")).scalar_one()
                for x in ("server_version", "shared_buffers", "work_mem",
                          "max_parallel_workers_per_gather")}
    muatan = None
    if not args.no_load:
        if ada:
            raise SystemExit(f"{url} already holds {ada} permohonan: give an empty database "
                             f"or --no-load")
        ukuran = Ukuran.skala(args.scale)
        print(f"loading {ukuran.permohonan:,} permohonan, {ukuran.skm:,} SKM, "
              f"{ukuran.pengaduan:,} pengaduan, {ukuran.pemohon:,} pemohon over "
              f"{len(k.kantor)} kantor …", flush=True)
        t0 = time.perf_counter()
        muatan = muat(k, dsn, ukuran, args.tahun, now, args.seed)
        muatan["total"] = time.perf_counter() - t0
        k.db.engine.dispose()  # the planner's fresh statistics, new connections
    with k.db.engine.connect() as c:
        ukuran_db = c.execute(text(
            "SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar_one()
        jumlah = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("permohonan", "riwayat", "pengaduan", "survei_skm", "pemohon",
                            "petugas")}

    pencatat = PencatatSql(k.db.engine)
    hasil, bulan = ukur(k, pencatat, now, args.tahun, args.runs)
    cli_t = None
    if not args.no_cli:
        cli_t = cli(env, bulan, args.runs)

    # -- the report
    argv = " ".join(shlex.quote(a) for a in sys.argv[1:])
    print("\n## Reports at a province's scale\n")
    print(f"Reproduce: `{f'.venv/bin/python benchmarks/report_bench.py {argv}'.strip()}`")
    print(f"\nPostgreSQL {info['server_version']} on this machine ({os.cpu_count()} cores; "
          f"shared_buffers {info['shared_buffers']}, work_mem {info['work_mem']}, "
          f"max_parallel_workers_per_gather {info['max_parallel_workers_per_gather']}), "
          f"database {ukuran_db}: " + ", ".join(f"{n:,} {t}" for t, n in jumlah.items())
          + f" over {len(k.kantor)} kantor, year {args.tahun}.")
    if muatan:
        total = muatan.pop("total")
        print(f"\nLoad: {total:.0f} s in all (" + ", ".join(
            f"{t} {v:.1f} s" for t, v in muatan.items()) + "); COPY times overlap (the "
            "riwayat COPY runs alongside permohonan and pengaduan).")
    print(f"\nBest of {args.runs}; the limit is {args.limit:g} s.\n")
    print("| report | kantor scope | period | seconds | of which SQL | rows in the period |")
    print("|---|---|---|---:|---:|---|")
    for h in hasil:
        flag = " ⚠" if h.detik > args.limit else ""
        print(f"| `laporan {h.perintah}` | {h.cakupan} | {h.periode} | {h.detik:.2f}{flag} | "
              f"{h.sql:.2f} | {h.baris} |")
    if cli_t:
        best, first, n = cli_t
        print(f"| `ptsp-admin laporan bulanan --bulan {bulan} --json` (subprocess, start-up "
              f"included; first run {first:.2f} s) | {k.profil(list(k.kantor)[0]).kode} | "
              f"{bulan} | {best:.2f}{' ⚠' if best > args.limit else ''} | | "
              f"{n:,} permohonan |")
    lambat = [h for h in hasil if h.detik > args.limit]
    if lambat:
        print(f"\nOver {args.limit:g} s: " + ", ".join(
            f"`{h.perintah}` ({h.cakupan}, {h.detik:.1f} s)" for h in lambat))
    if lambat and not args.no_explain:
        print("\nEach report below once, for the first scope over the limit (a --provinsi "
              "run repeats the same statements once per office).")
        seen = set()
        for h in lambat:
            if h.perintah in seen:
                continue
            seen.add(h.perintah)
            print(f"\n### `laporan {h.perintah}` ({h.cakupan}): {h.detik:.2f} s\n")
            print("```")
            print(explain(k, h))
            print("```")
    k.db.engine.dispose()


if __name__ == "__main__":
    main()
