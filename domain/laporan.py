"""Reports for the koordinator: the day's recap (Telegram `/rekap`, `ptsp-admin rekap`) and
the monthly, six-monthly, SLA, performance, complaint and SKM reports of `ptsp-admin laporan`.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from domain.kalender import JamKerja
from domain.konteks import BULAN, fmt_tanggal
from domain.ports import AbstractUnitOfWork


@dataclass(frozen=True)
class RekapHarian:
    tanggal: date
    jumlah: int  # permohonan submitted that day
    per_layanan_status: dict[tuple[str, str], int]
    lewat_tenggat: list[str]  # open permohonan past their deadline at `now`


def rekap_harian(uow: AbstractUnitOfWork, tz: tzinfo, tanggal: date, now: datetime
                 ) -> RekapHarian:
    """Counts by layanan and status of the day's permohonan, and what is overdue now."""
    mulai = datetime.combine(tanggal, time.min, tzinfo=tz)
    counts: dict[tuple[str, str], int] = {}
    for c in repo(uow).permohonan(mulai, mulai + timedelta(days=1), now):
        counts[(c.layanan, c.status)] = counts.get((c.layanan, c.status), 0) + c.jumlah
    return RekapHarian(tanggal=tanggal, jumlah=sum(counts.values()),
                       per_layanan_status=dict(sorted(counts.items())),
                       lewat_tenggat=repo(uow).lewat_tenggat(now))


# -- the shape every report takes: tables, key figures, notes and one chart ---------------
# Rendered by admin_cli/keluaran.py as a Rich table, JSON, XLSX, PDF and PNG alike.

#: how a column's values are typed in a spreadsheet and aligned on a page
JENIS_KOLOM = ("teks", "angka", "desimal", "persen", "tanggal", "waktu", "hp")


@dataclass(frozen=True)
class Kolom:
    kunci: str  # key in each row dict
    label: str  # header text (Indonesian)
    jenis: str = "teks"  # one of JENIS_KOLOM; persen values are 0..100 numbers


@dataclass(frozen=True)
class Tabel:
    judul: str
    kolom: tuple[Kolom, ...]
    # values: str | int | float | Decimal | date | datetime (aware, in the office's zone) | None
    baris: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Grafik:
    jenis: str  # "batang" (bars) or "garis" (lines)
    judul: str
    label: tuple[str, ...]  # categories on the x axis
    seri: tuple[tuple[str, tuple[float, ...]], ...]  # (name, one value per label)
    sumbu_y: str = ""
    ambang: tuple[tuple[float, str], ...] = ()  # horizontal reference lines (value, label)
    y_min: float | None = None
    y_maks: float | None = None


@dataclass(frozen=True)
class Laporan:
    jenis: str  # harian, bulanan, semester, sla, kinerja, pengaduan, skm, ...
    judul: str  # "Rekapitulasi Bulanan Permohonan"
    kantor: str  # the office's name
    periode: str  # as people say it: "Desember 2026", "Semester II 2026"
    tabel: tuple[Tabel, ...]
    ringkasan: tuple[tuple[str, str], ...] = ()  # key figures (label, text)
    catatan: tuple[str, ...] = ()  # warnings and notes, printed under the tables
    grafik: Grafik | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the --json form, JSON-ready


# -- what the store aggregates (GROUP BY in SQL), per office -------------------------------

#: the SLA state of one permohonan: closed on time / late, open within / past its deadline,
#: or no SLA (never started, withdrawn)
SLA_KATEGORI = ("tepat", "terlambat", "berjalan", "lewat", "tanpa")
#: statuses that end the processing (the result or the refusal is given)
STATUS_PENYELESAIAN = ("selesai", "tidak_sesuai", "ditolak")


@dataclass(frozen=True)
class SelPermohonan:
    """Permohonan submitted in the period, counted by layanan, status and SLA state."""

    layanan: str
    status: str
    sla: str  # one of SLA_KATEGORI, as of `now`
    jumlah: int


@dataclass(frozen=True)
class SelPenyelesaian:
    """Permohonan finished in the period (first selesai / tidak_sesuai / ditolak)."""

    layanan: str
    pemegang: str | None  # the jabatan or role that held it when it was finished
    oleh: str  # who finished it ("Nama (role)")
    tepat: bool | None  # finished by its deadline; None without an SLA
    jumlah: int


@dataclass(frozen=True)
class SelKinerja:
    """One official's steps taken in the period (not the pemohon's, not the system's)."""

    oleh: str  # "Nama (role)"
    ditangani: int  # distinct permohonan
    langkah: int
    median_menit: float | None  # working minutes from the item reaching them to their step
    tepat: int  # steps taken by the item's deadline
    dinilai: int  # steps on items with a deadline
    sejak_min: datetime | None  # the earliest moment one of those items reached them


@dataclass(frozen=True)
class SelPengaduan:
    kategori: str
    tier: str
    topik: str | None
    kanal: str
    status: str
    tepat: bool | None  # closed by its deadline (None: still open or no deadline)
    lewat: bool  # open and past its deadline at `now`
    jumlah: int


@dataclass(frozen=True)
class SelSkm:
    layanan: str | None
    sumber: str
    responden: int
    jumlah: tuple[int, ...]  # the sum of the answers to U1..U9


@dataclass(frozen=True)
class AkarMasalah:
    """The koordinator's root-cause action for a topic with n complaints in a month."""

    bulan: str  # YYYY-MM
    topik: str
    tindakan: str
    diberitahu: str  # who was told (penanggung jawab, pengarah)
    oleh: str
    waktu: datetime


class LaporanRepository(abc.ABC):
    """Port: the aggregations one office's reports need (`uow.laporan`)."""

    @abc.abstractmethod
    def permohonan(self, mulai: datetime, akhir: datetime, now: datetime
                   ) -> list[SelPermohonan]: ...

    @abc.abstractmethod
    def permohonan_per_bulan(self, bulan: list[tuple[datetime, datetime]]
                             ) -> dict[int, dict[str, int]]:
        """Per index of `bulan` (month start, end): submitted count per layanan."""

    @abc.abstractmethod
    def penyelesaian(self, mulai: datetime, akhir: datetime) -> list[SelPenyelesaian]: ...

    @abc.abstractmethod
    def kinerja(self, mulai: datetime, akhir: datetime, jam: JamKerja) -> list[SelKinerja]:
        """Per official, the steps taken in the period; their working minutes measured
        on `jam` (a step whose item reached the official before `jam.awal` is measured
        from `jam.awal`: widen `jam` to the earliest `sejak_min`)."""

    @abc.abstractmethod
    def lewat_tenggat(self, now: datetime, limit: int = 2000) -> list[str]:
        """Numbers of the permohonan whose running SLA clock is past its deadline at
        `now`, newest first."""

    @abc.abstractmethod
    def pengaduan(self, mulai: datetime, akhir: datetime, now: datetime
                  ) -> list[SelPengaduan]: ...

    @abc.abstractmethod
    def skm(self, dari: date | None, sampai: date | None) -> list[SelSkm]: ...

    @abc.abstractmethod
    def jumlah_tamu(self, dari: date, sampai: date) -> int: ...

    @abc.abstractmethod
    def akar_masalah(self, bulan: str) -> list[AkarMasalah]: ...

    @abc.abstractmethod
    def catat_akar_masalah(self, a: AkarMasalah) -> None: ...


def repo(uow: AbstractUnitOfWork) -> LaporanRepository:
    return uow.laporan  # type: ignore[attr-defined,no-any-return]


# -- periods ------------------------------------------------------------------------------



@dataclass(frozen=True)
class Periode:
    """A half-open span [mulai, akhir) in the office's zone, and its name."""

    mulai: datetime
    akhir: datetime
    label: str

    @property
    def dari(self) -> date:
        return self.mulai.date()

    @property
    def sampai(self) -> date:  # the last day inside
        return (self.akhir - timedelta(days=1)).date()

    def bulan(self) -> list[tuple[datetime, datetime]]:
        """The calendar months inside, as (start, end)."""
        out, a = [], self.mulai
        while a < self.akhir:
            b = _bulan_berikut(a)
            out.append((a, min(b, self.akhir)))
            a = b
        return out


def _bulan_berikut(a: datetime) -> datetime:
    return a.replace(year=a.year + (a.month == 12), month=a.month % 12 + 1, day=1)


def periode_bulan(teks: str, tz: tzinfo) -> Periode:
    """`2026-12` → Desember 2026."""
    try:
        tahun, bulan = (int(x) for x in teks.split("-"))
        mulai = datetime(tahun, bulan, 1, tzinfo=tz)
    except ValueError:
        raise ValueError(f"bulan harus YYYY-MM (mis. 2026-12), bukan '{teks}'") from None
    return Periode(mulai, _bulan_berikut(mulai), f"{BULAN[bulan - 1]} {tahun}")


def periode_semester(tahun: int, semester: int, tz: tzinfo) -> Periode:
    if semester not in (1, 2):
        raise ValueError(f"semester harus 1 atau 2, bukan {semester}")
    mulai = datetime(tahun, 1 if semester == 1 else 7, 1, tzinfo=tz)
    akhir = datetime(tahun + (semester == 2), 7 if semester == 1 else 1, 1, tzinfo=tz)
    return Periode(mulai, akhir, f"Semester {'I' if semester == 1 else 'II'} {tahun}")


def periode_rentang(dari: date, sampai: date, tz: tzinfo) -> Periode:
    if sampai < dari:
        raise ValueError("tanggal akhir sebelum tanggal awal")
    mulai = datetime.combine(dari, time.min, tzinfo=tz)
    akhir = datetime.combine(sampai + timedelta(days=1), time.min, tzinfo=tz)
    label = (fmt_tanggal(dari) if dari == sampai
             else f"{fmt_tanggal(dari)} s.d. {fmt_tanggal(sampai)}")
    return Periode(mulai, akhir, label)


# -- building the reports -----------------------------------------------------------------

SELESAI_STATUS = ("selesai", "diserahkan", "diarsipkan")
TOLAK_STATUS = ("ditolak", "tidak_sesuai")


@dataclass(frozen=True)
class Sumber:
    """What a report needs besides the store: the office and the catalog's names."""

    kantor: str
    kalender: Any  # domain.kalender.KalenderKerja
    nama_layanan: Any  # Callable[[str], str]
    nama_jabatan: Any  # Callable[[str | None], str]
    ambang_topik: int = 5
    nama_topik: dict[str, str] = field(default_factory=dict)


def _persen(a: int, b: int) -> float | None:
    return None if b == 0 else round(100 * a / b, 1)


def _fmt_persen(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}%".replace(".", ",")


def _rekap_layanan(sel: list[SelPermohonan]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for c in sel:
        d = out.setdefault(c.layanan, dict.fromkeys(
            ("masuk", "selesai", "ditolak", "dibatalkan", "proses", *SLA_KATEGORI), 0))
        d["masuk"] += c.jumlah
        key = ("selesai" if c.status in SELESAI_STATUS else "ditolak"
               if c.status in TOLAK_STATUS else "dibatalkan" if c.status == "dibatalkan"
               else "proses")
        d[key] += c.jumlah
        d[c.sla] += c.jumlah
    return out


_KOLOM_LAYANAN = (
    Kolom("layanan", "Layanan"), Kolom("masuk", "Masuk", "angka"),
    Kolom("selesai", "Selesai", "angka"), Kolom("ditolak", "Ditolak/tidak sesuai", "angka"),
    Kolom("dibatalkan", "Dibatalkan", "angka"), Kolom("proses", "Dalam proses", "angka"),
    Kolom("tepat_persen", "Tepat waktu", "persen"),
)


def _baris_layanan(per: dict[str, dict[str, int]], src: Sumber) -> tuple[dict[str, Any], ...]:
    rows = []
    for kode, d in sorted(per.items(), key=lambda kv: (-kv[1]["masuk"], kv[0])):
        rows.append({"kode": kode, "layanan": src.nama_layanan(kode), **d,
                     "tepat_persen": _persen(d["tepat"], d["tepat"] + d["terlambat"])})
    return tuple(rows)


def _jumlahkan(per: dict[str, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for d in per.values():
        for k, v in d.items():
            total[k] = total.get(k, 0) + v
    return total


def laporan_harian(uow: AbstractUnitOfWork, src: Sumber, hari: date, now: datetime
                   ) -> Laporan:
    """Rekapitulasi harian per jenis layanan (seed 002), with what is overdue now."""
    sel = repo(uow).permohonan(*_hari(hari, src), now)
    per = _rekap_layanan(sel)
    lewat = repo(uow).lewat_tenggat(now)
    counts: dict[tuple[str, str], int] = {}
    for c in sel:
        counts[(c.layanan, c.status)] = counts.get((c.layanan, c.status), 0) + c.jumlah
    total = _jumlahkan(per)
    return Laporan(
        "harian", "Rekapitulasi Harian Permohonan", src.kantor, fmt_tanggal(hari),
        (Tabel("Permohonan per jenis layanan", _KOLOM_LAYANAN, _baris_layanan(per, src)),),
        ringkasan=(("Permohonan masuk", str(total.get("masuk", 0))),
                   ("Lewat tenggat (semua hari)", str(len(lewat)))),
        catatan=(f"Lewat tenggat: {', '.join(lewat)}",) if lewat else (),
        data={"tanggal": hari.isoformat(), "jumlah": total.get("masuk", 0),
              "per_layanan": [{"layanan": lay, "status": st, "jumlah": n}
                              for (lay, st), n in sorted(counts.items())],
              "lewat_tenggat": lewat})


def _hari(hari: date, src: Sumber) -> tuple[datetime, datetime]:
    p = periode_rentang(hari, hari, src.kalender.tz)
    return p.mulai, p.akhir


def _ringkasan_pengaduan(sel: list[SelPengaduan]) -> dict[str, int]:
    tutup = sum(c.jumlah for c in sel if c.status in ("selesai", "ditolak"))
    return {"jumlah": sum(c.jumlah for c in sel), "ditutup": tutup,
            "tepat": sum(c.jumlah for c in sel if c.tepat is True),
            "terlambat": sum(c.jumlah for c in sel if c.tepat is False),
            "lewat": sum(c.jumlah for c in sel if c.lewat)}


def _ikm_ringkas(sel: list[SelSkm]) -> Any:
    from domain.skm import hitung_ikm_jumlah

    return hitung_ikm_jumlah(sum(c.responden for c in sel),
                             [sum(c.jumlah[i] for c in sel) for i in range(9)])


def _ringkasan_periode(uow: AbstractUnitOfWork, per: dict[str, dict[str, int]],
                       aduan: list[SelPengaduan], skm: list[SelSkm], tamu: int
                       ) -> tuple[tuple[tuple[str, str], ...], dict[str, Any]]:
    total, a, ikm = _jumlahkan(per), _ringkasan_pengaduan(aduan), _ikm_ringkas(skm)
    tepat = _persen(total.get("tepat", 0), total.get("tepat", 0) + total.get("terlambat", 0))
    angka = {"permohonan": total.get("masuk", 0), "selesai": total.get("selesai", 0),
             "ditolak": total.get("ditolak", 0), "dalam_proses": total.get("proses", 0),
             "tepat_waktu_persen": tepat, "pengaduan": a["jumlah"],
             "pengaduan_ditutup": a["ditutup"], "tamu": tamu,
             "skm_responden": ikm.responden,
             "ikm": None if ikm.ikm is None else float(ikm.ikm), "mutu": ikm.mutu}
    teks = (("Permohonan masuk", str(angka["permohonan"])),
            ("Selesai", str(angka["selesai"])),
            ("Dalam proses", str(angka["dalam_proses"])),
            ("Tepat waktu (SLA)", _fmt_persen(tepat)),
            ("Pengaduan (ditutup)", f"{a['jumlah']} ({a['ditutup']})"),
            ("Tamu", str(tamu)),
            ("IKM", "-" if ikm.ikm is None else
             f"{str(ikm.ikm).replace('.', ',')} ({ikm.mutu}, {ikm.kinerja}; "
             f"{ikm.responden} responden)"))
    return teks, angka


def _tabel_pengaduan_kategori(sel: list[SelPengaduan]) -> Tabel:
    per: dict[str, list[SelPengaduan]] = {}
    for c in sel:
        per.setdefault(c.kategori, []).append(c)
    rows = []
    for k, cs in sorted(per.items()):
        r = _ringkasan_pengaduan(cs)
        rows.append({"kategori": k, **r,
                     "tepat_persen": _persen(r["tepat"], r["tepat"] + r["terlambat"])})
    return Tabel("Pengaduan per kategori", (
        Kolom("kategori", "Kategori"), Kolom("jumlah", "Jumlah", "angka"),
        Kolom("ditutup", "Ditutup", "angka"), Kolom("lewat", "Lewat tenggat", "angka"),
        Kolom("tepat_persen", "Tepat waktu", "persen")), tuple(rows))


def laporan_bulanan(uow: AbstractUnitOfWork, src: Sumber, periode: Periode, now: datetime
                    ) -> Laporan:
    """The month: permohonan per layanan, complaints, guests and the IKM."""
    r = repo(uow)
    per = _rekap_layanan(r.permohonan(periode.mulai, periode.akhir, now))
    aduan = r.pengaduan(periode.mulai, periode.akhir, now)
    skm = r.skm(periode.dari, periode.sampai)
    teks, angka = _ringkasan_periode(uow, per, aduan, skm,
                                     r.jumlah_tamu(periode.dari, periode.sampai))
    rows = _baris_layanan(per, src)
    grafik = Grafik("batang", f"Permohonan per layanan, {periode.label}",
                    tuple(str(x["layanan"]) for x in rows),
                    (("Masuk", tuple(float(x["masuk"]) for x in rows)),
                     ("Selesai", tuple(float(x["selesai"]) for x in rows))),
                    sumbu_y="permohonan") if rows else None
    return Laporan("bulanan", "Rekapitulasi Bulanan Pelayanan", src.kantor, periode.label,
                   (Tabel("Permohonan per jenis layanan", _KOLOM_LAYANAN, rows),
                    _tabel_pengaduan_kategori(aduan)),
                   ringkasan=teks, grafik=grafik,
                   data={"periode": periode.label, "dari": periode.dari.isoformat(),
                         "sampai": periode.sampai.isoformat(), **angka,
                         "per_layanan": [dict(x) for x in rows]})


def laporan_semester(uow: AbstractUnitOfWork, src: Sumber, periode: Periode, now: datetime
                     ) -> Laporan:
    """Six months: permohonan per layanan per month, SLA, complaints and the IKM."""
    r = repo(uow)
    bulan = periode.bulan()
    per_bulan = r.permohonan_per_bulan(bulan)
    per = _rekap_layanan(r.permohonan(periode.mulai, periode.akhir, now))
    aduan = r.pengaduan(periode.mulai, periode.akhir, now)
    skm = r.skm(periode.dari, periode.sampai)
    teks, angka = _ringkasan_periode(uow, per, aduan, skm,
                                     r.jumlah_tamu(periode.dari, periode.sampai))
    nama_bulan = [BULAN[a.month - 1][:3] for a, _ in bulan]
    kolom = (Kolom("layanan", "Layanan"),
             *(Kolom(f"b{i}", nb, "angka") for i, nb in enumerate(nama_bulan)),
             Kolom("jumlah", "Jumlah", "angka"), Kolom("tepat_persen", "Tepat waktu", "persen"))
    rows = []
    for x in _baris_layanan(per, src):
        counts = [per_bulan[i].get(x["kode"], 0) for i in range(len(bulan))]
        rows.append({"kode": x["kode"], "layanan": x["layanan"],
                     **{f"b{i}": n for i, n in enumerate(counts)},
                     "jumlah": sum(counts), "tepat_persen": x["tepat_persen"]})
    atas = rows[:6]
    grafik = Grafik("garis", f"Permohonan per layanan per bulan, {periode.label}",
                    tuple(nama_bulan),
                    tuple((str(x["layanan"]), tuple(float(x[f"b{i}"])
                                                   for i in range(len(bulan)))) for x in atas),
                    sumbu_y="permohonan", y_min=0) if atas else None
    return Laporan("semester", "Laporan Semester Pelayanan", src.kantor, periode.label,
                   (Tabel("Permohonan per layanan per bulan", kolom, tuple(rows)),
                    _tabel_pengaduan_kategori(aduan)),
                   ringkasan=teks, grafik=grafik,
                   data={"periode": periode.label, "dari": periode.dari.isoformat(),
                         "sampai": periode.sampai.isoformat(), **angka,
                         "bulan": [f"{a:%Y-%m}" for a, _ in bulan],
                         "per_layanan": [{"kode": x["kode"], "layanan": x["layanan"],
                                          "per_bulan": [x[f"b{i}"] for i in range(len(bulan))],
                                          "jumlah": x["jumlah"],
                                          "tepat_persen": x["tepat_persen"]} for x in rows]})


def laporan_sla(uow: AbstractUnitOfWork, src: Sumber, periode: Periode, now: datetime
                ) -> Laporan:
    """Items submitted in the period against their SLA in working time; late ones by
    jabatan and by petugas.
    """
    r = repo(uow)
    per = _rekap_layanan(r.permohonan(periode.mulai, periode.akhir, now))
    rows = []
    for x in _baris_layanan(per, src):
        rows.append({k: x[k] for k in ("kode", "layanan", "masuk", *SLA_KATEGORI,
                                       "tepat_persen")})
    lambat_jabatan: dict[str, list[int]] = {}
    lambat_petugas: dict[str, list[int]] = {}
    for c in r.penyelesaian(periode.mulai, periode.akhir):
        if c.tepat is None:
            continue
        for key, d in ((src.nama_jabatan(c.pemegang) if c.pemegang else "-", lambat_jabatan),
                       (c.oleh, lambat_petugas)):
            v = d.setdefault(key, [0, 0])
            v[0] += c.jumlah
            v[1] += 0 if c.tepat else c.jumlah

    def tabel(judul: str, label: str, d: dict[str, list[int]]) -> Tabel:
        baris = tuple({"nama": k, "selesai": n, "terlambat": t,
                       "tepat_persen": _persen(n - t, n)}
                      for k, (n, t) in sorted(d.items(), key=lambda kv: (-kv[1][1], kv[0])))
        return Tabel(judul, (Kolom("nama", label), Kolom("selesai", "Diselesaikan", "angka"),
                             Kolom("terlambat", "Terlambat", "angka"),
                             Kolom("tepat_persen", "Tepat waktu", "persen")), baris)

    total = _jumlahkan(per)
    tepat = _persen(total.get("tepat", 0), total.get("tepat", 0) + total.get("terlambat", 0))
    kolom = (Kolom("layanan", "Layanan"), Kolom("masuk", "Masuk", "angka"),
             Kolom("tepat", "Selesai tepat waktu", "angka"),
             Kolom("terlambat", "Selesai terlambat", "angka"),
             Kolom("berjalan", "Berjalan", "angka"), Kolom("lewat", "Lewat tenggat", "angka"),
             Kolom("tanpa", "Tanpa SLA", "angka"), Kolom("tepat_persen", "Tepat waktu", "persen"))
    dinilai = [x for x in rows if x["tepat_persen"] is not None]
    grafik = Grafik("batang", f"Ketepatan waktu (SLA) per layanan, {periode.label}",
                    tuple(str(x["layanan"]) for x in dinilai),
                    (("Tepat waktu (%)", tuple(float(x["tepat_persen"]) for x in dinilai)),),
                    sumbu_y="%", y_min=0, y_maks=100) if dinilai else None
    jabatan, petugas = (tabel("Penyelesaian per jabatan", "Jabatan", lambat_jabatan),
                        tabel("Penyelesaian per petugas", "Petugas", lambat_petugas))
    return Laporan(
        "sla", "Laporan Ketepatan Waktu Layanan (SLA)", src.kantor, periode.label,
        (Tabel("SLA per layanan (hari dan jam kerja)", kolom, tuple(rows)), jabatan, petugas),
        ringkasan=(("Permohonan", str(total.get("masuk", 0))),
                   ("Selesai tepat waktu", str(total.get("tepat", 0))),
                   ("Selesai terlambat", str(total.get("terlambat", 0))),
                   ("Berjalan / lewat tenggat",
                    f"{total.get('berjalan', 0)} / {total.get('lewat', 0)}"),
                   ("Tepat waktu", _fmt_persen(tepat))),
        grafik=grafik,
        data={"periode": periode.label, "dari": periode.dari.isoformat(),
              "sampai": periode.sampai.isoformat(),
              "jumlah": {k: total.get(k, 0) for k in ("masuk", *SLA_KATEGORI)},
              "tepat_waktu_persen": tepat, "per_layanan": rows,
              "per_jabatan": list(jabatan.baris), "per_petugas": list(petugas.baris)})


#: how far before the period the working hours are first laid out for `kinerja`
_KINERJA_SEBELUM = timedelta(days=92)


def laporan_kinerja(uow: AbstractUnitOfWork, src: Sumber, periode: Periode, now: datetime
                    ) -> Laporan:
    """Per petugas (seed 002's evaluasi kinerja pelaksana): items handled, steps, the
    median working time from an item reaching them to their step, on-time steps.
    Measured in the store on the office's working hours laid out from a little before
    the period (and again from further back when an item had waited longer).
    """
    r = repo(uow)
    jam = src.kalender.jam_kerja(periode.mulai - _KINERJA_SEBELUM, periode.akhir)
    sel = r.kinerja(periode.mulai, periode.akhir, jam)
    awal = min((c.sejak_min for c in sel if c.sejak_min is not None), default=jam.awal)
    if awal < jam.awal:
        jam = src.kalender.jam_kerja(awal, periode.akhir)
        sel = r.kinerja(periode.mulai, periode.akhir, jam)
    per: dict[str, dict[str, Any]] = {
        c.oleh: {"ditangani": c.ditangani, "langkah": c.langkah, "median": c.median_menit,
                 "tepat": c.tepat, "dinilai": c.dinilai, "selesai": 0} for c in sel}
    for c in r.penyelesaian(periode.mulai, periode.akhir):
        if c.oleh in per:
            per[c.oleh]["selesai"] += c.jumlah
    rows = []
    for nama, d in sorted(per.items(), key=lambda kv: (-kv[1]["ditangani"], kv[0])):
        med = d["median"]
        rows.append({"petugas": nama, "ditangani": d["ditangani"], "langkah": d["langkah"],
                     "selesai": d["selesai"],
                     "median_jam": None if med is None else round(med / 60, 2),
                     "tepat_persen": _persen(d["tepat"], d["dinilai"])})
    kolom = (Kolom("petugas", "Petugas"), Kolom("ditangani", "Permohonan ditangani", "angka"),
             Kolom("langkah", "Langkah", "angka"), Kolom("selesai", "Diselesaikan", "angka"),
             Kolom("median_jam", "Median waktu (jam kerja)", "desimal"),
             Kolom("tepat_persen", "Tepat waktu", "persen"))
    return Laporan("kinerja", "Evaluasi Kinerja Pelaksana", src.kantor, periode.label,
                   (Tabel("Kinerja per petugas", kolom, tuple(rows)),),
                   ringkasan=(("Petugas", str(len(rows))),),
                   data={"periode": periode.label, "dari": periode.dari.isoformat(),
                         "sampai": periode.sampai.isoformat(), "per_petugas": rows})


def laporan_pengaduan(uow: AbstractUnitOfWork, src: Sumber, periode: Periode, now: datetime,
                      bulan: str) -> Laporan:
    """The complaint log book's month (seed 002 §11): by kategori, tier, topic, kanal and
    status, on time, and the topics that reached the threshold with their root-cause
    action.
    """
    r = repo(uow)
    sel = r.pengaduan(periode.mulai, periode.akhir, now)

    def per(judul: str, label: str, key: Any, nama: Any = str) -> Tabel:
        groups: dict[str, list[SelPengaduan]] = {}
        for c in sel:
            groups.setdefault(key(c) or "belum_diklasifikasi", []).append(c)
        rows = []
        for k, cs in sorted(groups.items(), key=lambda kv: (-sum(c.jumlah for c in kv[1]),
                                                            kv[0])):
            x = _ringkasan_pengaduan(cs)
            rows.append({"kode": k, "nama": nama(k), "jumlah": x["jumlah"],
                         "ditutup": x["ditutup"], "lewat": x["lewat"],
                         "tepat_persen": _persen(x["tepat"], x["tepat"] + x["terlambat"])})
        return Tabel(judul, (Kolom("nama", label), Kolom("jumlah", "Jumlah", "angka"),
                             Kolom("ditutup", "Ditutup", "angka"),
                             Kolom("lewat", "Lewat tenggat", "angka"),
                             Kolom("tepat_persen", "Tepat waktu", "persen")), tuple(rows))

    topik = per("Per topik", "Topik", lambda c: c.topik,
                lambda k: src.nama_topik.get(k, k.replace("_", " ")))
    tabel = (per("Per kategori", "Kategori", lambda c: c.kategori),
             per("Per tier", "Tier", lambda c: c.tier), topik,
             per("Per kanal", "Kanal", lambda c: c.kanal),
             per("Per status", "Status", lambda c: c.status))
    akar = {a.topik: a for a in r.akar_masalah(bulan)}
    ambang_rows, catatan = [], []
    for x in topik.baris:
        if x["kode"] == "belum_diklasifikasi" or x["jumlah"] < src.ambang_topik:
            continue
        a = akar.get(x["kode"])
        ambang_rows.append({"topik": x["nama"], "jumlah": x["jumlah"],
                            "tindakan": a.tindakan if a else None,
                            "diberitahu": a.diberitahu if a else None,
                            "oleh": a.oleh if a else None,
                            "waktu": a.waktu if a else None})
        if a is None:
            catatan.append(f"Topik '{x['nama']}' mencapai {x['jumlah']} pengaduan: tindakan "
                           f"akar masalah belum dicatat (ptsp-admin pengaduan akar-masalah).")
    ambang = Tabel(f"Topik dengan {src.ambang_topik} pengaduan atau lebih: tindakan akar masalah",
                   (Kolom("topik", "Topik"), Kolom("jumlah", "Jumlah", "angka"),
                    Kolom("tindakan", "Tindakan"), Kolom("diberitahu", "Diberitahukan kepada"),
                    Kolom("oleh", "Dicatat oleh"), Kolom("waktu", "Waktu", "waktu")),
                   tuple(ambang_rows))
    x = _ringkasan_pengaduan(sel)
    tepat = _persen(x["tepat"], x["tepat"] + x["terlambat"])
    return Laporan(
        "pengaduan", "Rekapitulasi Pengaduan", src.kantor, periode.label, (*tabel, ambang),
        ringkasan=(("Pengaduan", str(x["jumlah"])), ("Ditutup", str(x["ditutup"])),
                   ("Lewat tenggat", str(x["lewat"])), ("Tepat waktu", _fmt_persen(tepat))),
        catatan=tuple(catatan),
        data={"bulan": bulan, "periode": periode.label, **x, "tepat_waktu_persen": tepat,
              **{k: [dict(b) for b in t.baris] for k, t in zip(
                  ("per_kategori", "per_tier", "per_topik", "per_kanal", "per_status"),
                  tabel, strict=True)},
              "ambang_topik": [{**b, "waktu": b["waktu"].isoformat() if b["waktu"] else None}
                               for b in ambang_rows]})


def catat_akar_masalah(uow: AbstractUnitOfWork, *, bulan: str, topik: str, tindakan: str,
                       diberitahu: str, oleh: str, now: datetime) -> AkarMasalah:
    """Records the koordinator's root-cause action for a topic's month (seed 002)."""
    from domain.errors import DataTidakValid

    periode_bulan(bulan, UTC)  # a YYYY-MM month, or the error says how to write it
    if not tindakan.strip():
        raise DataTidakValid("tindakan akar masalah tidak boleh kosong")
    if not diberitahu.strip():
        raise DataTidakValid("sebutkan kepada siapa tindakan diberitahukan "
                             "(penanggung jawab, pengarah)")
    a = AkarMasalah(bulan, topik, tindakan.strip(), diberitahu.strip(), oleh, now)
    repo(uow).catat_akar_masalah(a)
    return a


# -- SKM (PermenPANRB 14/2017) ---------------------------------------------------------------


def cocok_layanan(kode: str | None, layanan: str | None) -> bool:
    return layanan is None or (kode is not None and (kode == layanan
                                                     or kode.startswith(layanan + ".")))


def laporan_skm(uow: AbstractUnitOfWork, src: Sumber, periode: Periode | None,
                now: datetime, layanan: str | None = None,
                sel: list[SelSkm] | None = None) -> Laporan:
    """IKM of the period (optionally one layanan and its children): NRR and mutu per unsur,
    the unsur below B marked for improvement, the IKM per layanan (WhatsApp and paper
    respondents together) and the Krejcie–Morgan minimum sample of the period's population
    (the permohonan submitted, withdrawn ones not counted).
    """
    from domain.skm import UNSUR, hitung_ikm_jumlah, mutu_unsur, sampel_minimum

    r = repo(uow)
    if sel is None:
        sel = r.skm(periode.dari if periode else None, periode.sampai if periode else None)
    sel = [c for c in sel if cocok_layanan(c.layanan, layanan)]
    populasi: dict[str, int] = {}
    if periode is not None:
        for c in r.permohonan(periode.mulai, periode.akhir, now):
            if c.status != "dibatalkan" and cocok_layanan(c.layanan, layanan):
                populasi[c.layanan] = populasi.get(c.layanan, 0) + c.jumlah
    hasil = _ikm_ringkas(sel)
    unsur_rows = []
    for i, nama in enumerate(UNSUR):
        if hasil.responden == 0:
            break
        jumlah = sum(c.jumlah[i] for c in sel)
        nilai, mutu, kinerja = mutu_unsur(hasil.responden, jumlah)
        unsur_rows.append({"kode": f"U{i + 1}", "unsur": nama, "nrr": hasil.nrr[i],
                           "nilai": nilai, "mutu": mutu, "kinerja": kinerja,
                           "perlu_perbaikan": mutu in ("C", "D")})
    per: dict[str | None, list[SelSkm]] = {}
    for c in sel:
        per.setdefault(c.layanan, []).append(c)
    lay_rows = []
    for kode in sorted(set(per) | set(populasi), key=lambda k: (k is None, k or "")):
        cs = per.get(kode, [])
        h = hitung_ikm_jumlah(sum(c.responden for c in cs),
                              [sum(c.jumlah[i] for c in cs) for i in range(9)])
        n = populasi.get(kode or "", 0) if kode else 0
        lay_rows.append({
            "kode": kode, "layanan": src.nama_layanan(kode) if kode else "(tanpa layanan)",
            "responden": h.responden,
            "whatsapp": sum(c.responden for c in cs if c.sumber != "kertas"),
            "kertas": sum(c.responden for c in cs if c.sumber == "kertas"),
            "ikm": h.ikm, "mutu": h.mutu, "populasi": n if kode else None,
            "sampel_minimum": sampel_minimum(n) if kode else None})
    total_pop = sum(populasi.values())
    minimum = sampel_minimum(total_pop)
    catatan = [f"Unsur {x['kode']} ({x['unsur']}) bermutu {x['mutu']}: perlu perbaikan."
               for x in unsur_rows if x["perlu_perbaikan"]]
    if periode is not None and hasil.responden < minimum:
        catatan.append(f"Sampel {hasil.responden} responden kurang dari sampel minimum "
                       f"Krejcie–Morgan {minimum} untuk populasi {total_pop} penerima layanan.")
    grafik = Grafik("batang", "Nilai unsur pelayanan (NRR × 25)",
                    tuple(x["kode"] for x in unsur_rows),
                    (("Nilai unsur", tuple(float(x["nilai"]) for x in unsur_rows)),),
                    sumbu_y="nilai", ambang=((88.31, "A"), (76.61, "B"), (65.0, "C")),
                    y_min=25, y_maks=100) if unsur_rows else None
    label = periode.label if periode else "seluruh periode"
    if layanan:
        label += f" · {src.nama_layanan(layanan)}"
    return Laporan(
        "skm", "Laporan Survei Kepuasan Masyarakat (SKM)", src.kantor, label,
        (Tabel("Nilai per unsur", (
            Kolom("kode", "Unsur"), Kolom("unsur", "Uraian"), Kolom("nrr", "NRR", "desimal"),
            Kolom("nilai", "Nilai (×25)", "desimal"), Kolom("mutu", "Mutu"),
            Kolom("keterangan", "Keterangan")),
            tuple({**x, "keterangan": "perlu perbaikan" if x["perlu_perbaikan"] else ""}
                  for x in unsur_rows)),
         Tabel("IKM per layanan", (
             Kolom("layanan", "Layanan"), Kolom("responden", "Responden", "angka"),
             Kolom("whatsapp", "WhatsApp", "angka"), Kolom("kertas", "Kertas", "angka"),
             Kolom("ikm", "IKM", "desimal"), Kolom("mutu", "Mutu"),
             Kolom("populasi", "Populasi", "angka"),
             Kolom("sampel_minimum", "Sampel minimum", "angka")), tuple(lay_rows))),
        ringkasan=(("Responden", str(hasil.responden)),
                   ("IKM", "-" if hasil.ikm is None else str(hasil.ikm).replace(".", ",")),
                   ("Mutu / kinerja", "-" if hasil.mutu is None
                    else f"{hasil.mutu} / {hasil.kinerja}"),
                   *((("Populasi / sampel minimum", f"{total_pop} / {minimum}"),)
                     if periode is not None else ())),
        catatan=tuple(catatan), grafik=grafik,
        data={**hasil.to_json(),
              "unsur": [{"kode": x["kode"], "unsur": x["unsur"], "nrr": float(x["nrr"]),
                         "nilai": float(x["nilai"]), "mutu": x["mutu"],
                         "perlu_perbaikan": x["perlu_perbaikan"]} for x in unsur_rows],
              "per_layanan": [{**x, "ikm": None if x["ikm"] is None else float(x["ikm"])}
                              for x in lay_rows],
              "populasi": total_pop if periode is not None else None,
              "sampel_minimum": minimum if periode is not None else None,
              "sampel_cukup": None if periode is None else hasil.responden >= minimum})


# -- a province: the offices side by side ----------------------------------------------------


def provinsi(per_kantor: list[Laporan], *, nama: str, skm: list[SelSkm] | None = None
             ) -> Laporan:
    """One table of the offices' key figures; for SKM the province's IKM from all
    responses pooled (not an average of the offices' IKM) and the offices ranked.
    """
    if not per_kantor:
        raise ValueError("tidak ada kantor")
    contoh = per_kantor[0]
    if contoh.jenis == "skm":
        from domain.skm import hitung_ikm_jumlah

        pooled = hitung_ikm_jumlah(sum(c.responden for c in skm or []),
                                   [sum(c.jumlah[i] for c in skm or []) for i in range(9)])
        urut = sorted(per_kantor, key=lambda lp: (lp.data.get("ikm") is None,
                                                  -(lp.data.get("ikm") or 0), lp.kantor))
        rows = tuple({"peringkat": i + 1, "kantor": lp.kantor,
                      "responden": lp.data["responden"], "ikm": lp.data["ikm"],
                      "mutu": lp.data["mutu"]} for i, lp in enumerate(urut))
        tabel = Tabel("Peringkat kantor menurut IKM", (
            Kolom("peringkat", "Peringkat", "angka"), Kolom("kantor", "Kantor"),
            Kolom("responden", "Responden", "angka"), Kolom("ikm", "IKM", "desimal"),
            Kolom("mutu", "Mutu")), rows)
        return Laporan("skm", contoh.judul, nama, contoh.periode, (tabel,),
                       ringkasan=(("Responden", str(pooled.responden)),
                                  ("IKM provinsi", "-" if pooled.ikm is None
                                   else f"{str(pooled.ikm).replace('.', ',')} "
                                   f"({pooled.mutu}, {pooled.kinerja})")),
                       data={**pooled.to_json(), "peringkat": list(rows)})
    label = [k for k, _ in contoh.ringkasan]
    kolom = (Kolom("kantor", "Kantor"),
             *(Kolom(f"r{i}", lbl) for i, lbl in enumerate(label)))
    rows = tuple({"kantor": lp.kantor, **{f"r{i}": v for i, (_, v) in enumerate(lp.ringkasan)}}
                 for lp in per_kantor)
    return Laporan(contoh.jenis, contoh.judul, nama, contoh.periode,
                   (Tabel("Per kantor", kolom, rows),),
                   data={"kantor": [{"kantor": lp.kantor, **lp.data} for lp in per_kantor]})
