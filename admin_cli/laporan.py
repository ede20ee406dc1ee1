"""`ptsp-admin rekap`, `antrian list` and the CSV exports: the koordinator's reports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from admin_cli.opsi import JsonOpt, KantorOpt, Konsol, OlehOpt, pelaku, pilih_kantor, wajib_boleh

console = Konsol()
TanggalOpt = Annotated[str | None, typer.Option("--tanggal", help="YYYY-MM-DD (bawaan: hari ini)")]
DariOpt = Annotated[str | None, typer.Option("--from", help="tanggal awal (YYYY-MM-DD)")]
SampaiOpt = Annotated[str | None, typer.Option("--to", help="tanggal akhir (YYYY-MM-DD)")]

antrian_app = typer.Typer(help="Antrian loket: ambil, panggil, daftar nomor hari ini.",
                          no_args_is_help=True)

#: a cell that a spreadsheet would run as a formula is written as text
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _tanggal(value: str | None, opsi: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"Galat: {opsi} harus YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None


def _office(kantor: str | None) -> tuple[Any, int]:
    from admin_cli.main import _container, handled

    with handled():
        k = _container()
    return k, pilih_kantor(k, kantor)


def rekap(tanggal: TanggalOpt = None, kantor: KantorOpt = None, as_json: JsonOpt = False) -> None:
    """Rekap harian: permohonan per layanan dan status, serta yang melewati tenggat."""
    from domain.laporan import rekap_harian

    k, kid = _office(kantor)
    tz = k.profil(kid).kalender.tz
    now = k.clock.now()
    hari = _tanggal(tanggal, "--tanggal") or now.astimezone(tz).date()
    with k.uow(kid) as uow:
        r = rekap_harian(uow, tz, hari, now)
    if as_json:
        from admin_cli.main import _print_json

        _print_json({"tanggal": r.tanggal.isoformat(), "jumlah": r.jumlah,
                     "per_layanan": [{"layanan": lay, "status": st, "jumlah": n}
                                     for (lay, st), n in r.per_layanan_status.items()],
                     "lewat_tenggat": r.lewat_tenggat})
        return
    t = Table("Layanan", "Status", "Jumlah", title=f"Rekap {r.tanggal.isoformat()}: "
              f"{r.jumlah} permohonan masuk")
    for (lay, st), n in r.per_layanan_status.items():
        t.add_row(lay, st, str(n))
    console.print(t)
    console.print(f"Lewat tenggat: {', '.join(r.lewat_tenggat) or '-'}", highlight=False)


@antrian_app.command("list")
def antrian_list(tanggal: TanggalOpt = None, loket: Annotated[str | None, typer.Option(
        "--loket", help="kode loket")] = None, kantor: KantorOpt = None,
        as_json: JsonOpt = False) -> None:
    """Nomor antrian satu hari, per loket, berurutan."""
    k, kid = _office(kantor)
    profil = k.profil(kid)
    hari = _tanggal(tanggal, "--tanggal") or k.clock.now().astimezone(profil.kalender.tz).date()
    if loket is not None and loket not in profil.loket:
        typer.echo(f"Galat: loket '{loket}' tidak ada (ada: {', '.join(profil.loket)})",
                   err=True)
        raise typer.Exit(1)
    with k.uow(kid) as uow:
        rows = uow.antrian.hari_ini(hari, loket)
    data = [{"nomor": a.nomor, "loket": a.loket, "status": a.status,
             "dipanggil": a.dipanggil_at.astimezone(profil.kalender.tz).isoformat()
             if a.dipanggil_at else None} for a in rows]
    if as_json:
        from admin_cli.main import _print_json

        _print_json(data)
        return
    t = Table("Nomor", "Loket", "Status", "Dipanggil", title=f"Antrian {hari.isoformat()}")
    for d in data:
        t.add_row(d["nomor"], profil.loket.get(d["loket"], d["loket"]), d["status"],
                  (d["dipanggil"] or "-")[11:16] or "-")
    console.print(t)


def _rentang(dari: str | None, sampai: str | None, tz: Any) -> tuple[datetime | None,
                                                                      datetime | None]:
    a, b = _tanggal(dari, "--from"), _tanggal(sampai, "--to")
    return (datetime.combine(a, time.min, tzinfo=tz) if a else None,
            datetime.combine(b + timedelta(days=1), time.min, tzinfo=tz) if b else None)


def _sel_csv(value: Any, jenis: str) -> str:
    """A cell as a spreadsheet reads it: local minutes without microseconds, numbers
    plain; text that a spreadsheet would run as a formula is prefixed with `'` (a phone
    number is a number, not a formula, and is written as it is).
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    teks = str(value)
    if jenis == "hp" and _HP.fullmatch(teks):
        return teks
    return "'" + teks if teks.startswith(_FORMULA) else teks


_HP = re.compile(r"\+?\d{6,15}")


def _tulis_csv(file: Path, kolom: tuple[Any, ...], rows: list[dict[str, Any]]) -> None:
    """UTF-8 with BOM (Excel opens it right), a header of the column keys."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([k.kunci for k in kolom])
    for r in rows:
        w.writerow([_sel_csv(r.get(k.kunci), k.jenis) for k in kolom])
    file.write_text(buf.getvalue(), encoding="utf-8-sig")


FileArg = Annotated[Path, typer.Argument(help="berkas tujuan: .csv atau .xlsx")]


def _ekspor(file: Path, dari: str | None, sampai: str | None, kantor: str | None,
            jenis: str, judul: str, kolom: tuple[Any, ...],
            baris: Callable[[Any, Any], Iterable[tuple[datetime, dict[str, Any]]]]) -> None:
    """Write the rows of one office whose time falls between --from and --to, as CSV or
    (by the file's suffix) XLSX with typed cells; a progress bar on large exports.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from admin_cli.main import handled
    from domain.laporan import Laporan, Tabel

    k, kid = _office(kantor)
    profil = k.profil(kid)
    mulai, akhir = _rentang(dari, sampai, profil.kalender.tz)
    rows: list[dict[str, Any]] = []
    with handled(), k.uow(kid) as uow, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True),
            transient=True, disable=not Console(stderr=True).is_terminal) as bar:
        task = bar.add_task(f"Membaca {jenis}…", total=None)
        for waktu, d in baris(uow, _sumber(k, kid)):
            if not ((mulai and waktu < mulai) or (akhir and waktu >= akhir)):
                rows.append(d)
                if len(rows) % 500 == 0:
                    bar.update(task, description=f"Membaca {jenis}: {len(rows)} baris")
        bar.update(task, description=f"Menulis {file.name}…")
        if file.suffix.lower() == ".xlsx":
            from admin_cli import keluaran

            periode = f"{dari or 'awal'} s.d. {sampai or 'sekarang'}"
            keluaran.tulis_xlsx(file, [Laporan(jenis, judul, profil.nama, periode,
                                               (Tabel(judul, kolom, tuple(rows)),))])
        else:
            _tulis_csv(file, kolom, rows)
    typer.echo(f"{len(rows)} {jenis} ditulis ke {file}.")


def _lokal(dt: datetime | None, tz: Any) -> datetime | None:
    return dt.astimezone(tz).replace(microsecond=0) if dt else None


def _k(*spec: tuple[str, str, str]) -> tuple[Any, ...]:
    from domain.laporan import Kolom

    return tuple(Kolom(kunci, label, jenis) for kunci, label, jenis in spec)


PERMOHONAN_KOLOM = _k(
    ("nomor", "Nomor", "teks"), ("layanan", "Layanan", "teks"), ("status", "Status", "teks"),
    ("pemohon", "Pemohon", "teks"), ("hp", "HP", "hp"), ("atas_nama", "Atas nama", "teks"),
    ("diajukan", "Diajukan", "waktu"), ("pemegang", "Pemegang", "teks"),
    ("tenggat", "Tenggat", "waktu"), ("lampiran", "Lampiran", "angka"),
    ("kode_layanan", "Kode layanan", "teks"), ("kode_status", "Kode status", "teks"))
PENGADUAN_KOLOM = _k(
    ("nomor", "Nomor", "teks"), ("kategori", "Kategori", "teks"), ("tier", "Tier", "teks"),
    ("topik", "Topik", "teks"), ("status", "Status", "teks"), ("diterima", "Diterima", "waktu"),
    ("tenggat", "Tenggat", "waktu"), ("kanal", "Kanal", "teks"))
SKM_KOLOM = _k(("tanggal", "Tanggal", "tanggal"), ("layanan", "Layanan", "teks"),
               ("nomor", "Nomor permohonan", "teks"), ("sumber", "Sumber", "teks"),
               *((f"u{i}", f"U{i}", "angka") for i in range(1, 10)))
TAMU_KOLOM = _k(("nomor", "Nomor", "teks"), ("nama", "Nama", "teks"), ("hp", "HP", "hp"),
                ("instansi", "Instansi", "teks"), ("tujuan", "Tujuan", "teks"),
                ("keperluan", "Keperluan", "teks"), ("waktu", "Waktu kunjungan", "waktu"),
                ("status", "Status", "teks"), ("masuk", "Masuk", "waktu"),
                ("keluar", "Keluar", "waktu"))


def permohonan_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
                      kantor: KantorOpt = None) -> None:
    """Ekspor permohonan (diajukan antara --from dan --to) ke CSV atau XLSX."""
    from domain.sla import tenggat_berjalan
    from domain.status import LABEL, Status

    def baris(uow: Any, src: Any) -> Iterable[tuple[datetime, dict[str, Any]]]:
        tz, hp = src.kalender.tz, {}
        for p in uow.permohonan.list():
            if p.pengaju_id not in hp:
                pm = uow.pemohon.get(p.pengaju_id)
                hp[p.pengaju_id] = (pm.nama, pm.hp or None) if pm else (None, None)
            yield p.diajukan, {
                "nomor": p.nomor, "layanan": src.nama_layanan(p.layanan),
                "status": LABEL.get(Status(p.status), str(p.status)),
                "pemohon": hp[p.pengaju_id][0], "hp": hp[p.pengaju_id][1],
                "atas_nama": p.atas_nama, "diajukan": _lokal(p.diajukan, tz),
                "pemegang": src.nama_jabatan(p.pemegang) if p.pemegang else None,
                "tenggat": _lokal(tenggat_berjalan(p), tz), "lampiran": len(p.berkas),
                "kode_layanan": p.layanan, "kode_status": str(p.status)}

    _ekspor(file, dari, sampai, kantor, "permohonan", "Daftar Permohonan", PERMOHONAN_KOLOM,
            baris)


def pengaduan_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
                     kantor: KantorOpt = None) -> None:
    """Ekspor pengaduan (diterima antara --from dan --to) ke CSV atau XLSX.

    Tanpa identitas pelapor.
    """
    def baris(uow: Any, src: Any) -> Iterable[tuple[datetime, dict[str, Any]]]:
        tz = src.kalender.tz
        for a in uow.pengaduan.list():
            yield a.diterima, {
                "nomor": a.nomor, "kategori": a.kategori.replace("_", " "),
                "tier": a.tier.replace("_", " "),
                "topik": src.nama_topik.get(a.topik, a.topik) if a.topik else None,
                "status": a.status.replace("_", " "), "diterima": _lokal(a.diterima, tz),
                "tenggat": _lokal(a.tenggat, tz), "kanal": a.kanal.replace("_", " ")}

    _ekspor(file, dari, sampai, kantor, "pengaduan", "Buku Pengaduan", PENGADUAN_KOLOM, baris)


def skm_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
               kantor: KantorOpt = None) -> None:
    """Ekspor jawaban survei SKM (per responden, tanpa identitas) ke CSV atau XLSX."""
    def baris(uow: Any, src: Any) -> Iterable[tuple[datetime, dict[str, Any]]]:
        for r in uow.skm.list():
            yield datetime.combine(r.tanggal, time(12), tzinfo=src.kalender.tz), {
                "tanggal": r.tanggal,
                "layanan": src.nama_layanan(r.layanan) if r.layanan else None,
                "nomor": r.nomor, "sumber": r.sumber,
                **{f"u{i + 1}": v for i, v in enumerate(r.nilai)}}

    _ekspor(file, dari, sampai, kantor, "jawaban SKM", "Jawaban Survei Kepuasan", SKM_KOLOM,
            baris)


def tamu_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
                kantor: KantorOpt = None) -> None:
    """Ekspor buku tamu (kunjungan antara --from dan --to) ke CSV atau XLSX."""
    def baris(uow: Any, src: Any) -> Iterable[tuple[datetime, dict[str, Any]]]:
        tz = src.kalender.tz
        for t in uow.tamu.list():
            yield t.waktu, {
                "nomor": t.nomor, "nama": t.nama, "hp": t.hp, "instansi": t.instansi,
                "tujuan": src.nama_jabatan(t.tujuan), "keperluan": t.keperluan,
                "waktu": _lokal(t.waktu, tz), "status": t.status.replace("_", " "),
                "masuk": _lokal(t.masuk, tz), "keluar": _lokal(t.keluar, tz)}

    _ekspor(file, dari, sampai, kantor, "tamu", "Buku Tamu", TAMU_KOLOM, baris)


# -- `ptsp-admin laporan …`: the koordinator's periodic reports ---------------------------

laporan_app = typer.Typer(
    help="Laporan koordinator: harian, bulanan, semester, SLA, kinerja petugas, pengaduan. "
         "Tiap laporan tampil sebagai tabel, --json, --xlsx, --pdf atau --chart.",
    no_args_is_help=True)

ProvinsiOpt = Annotated[bool, typer.Option(
    "--provinsi", help="semua kantor berdampingan (satu lembar per kantor di XLSX)")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="tulis ke berkas XLSX")]
PdfOpt = Annotated[Path | None, typer.Option("--pdf", help="tulis halaman cetak PDF")]
ChartOpt = Annotated[Path | None, typer.Option("--chart", help="tulis grafik PNG")]
LayananOpt = Annotated[str | None, typer.Option(
    "--layanan", help="kode layanan (termasuk sub-layanannya)")]
BulanOpt = Annotated[str | None, typer.Option("--bulan", help="YYYY-MM (bawaan: bulan ini)")]


def _sumber(k: Any, kid: int) -> Any:
    from domain.katalog import LayananTidakDikenal
    from domain.laporan import Sumber

    profil, katalog = k.profil(kid), k.katalog_of(kid)

    def nama_layanan(kode: str) -> str:
        try:
            return str(katalog.resolve(kode).nama)
        except LayananTidakDikenal:
            return kode

    return Sumber(kantor=profil.nama, kalender=profil.kalender, nama_layanan=nama_layanan,
                  nama_jabatan=profil.nama_jabatan, ambang_topik=profil.ambang_topik_bulanan,
                  nama_topik=dict(profil.topik))


def _kantor_ids(k: Any, kantor: str | None, semua: bool) -> list[int]:
    if semua:
        if kantor is not None:
            typer.echo("Galat: pilih --kantor atau --provinsi, tidak keduanya", err=True)
            raise typer.Exit(2)
        return list(k.kantor)
    return [pilih_kantor(k, kantor)]


def _koordinator(uow: Any) -> str | None:
    from domain.model import Role

    for p in uow.petugas.list():
        if p.role == Role.KOORDINATOR:
            return str(p.nama)
    return None


def _keluarkan(k: Any, daftar: list[Any], gabungan: Any | None, ttd: str | None,
               as_json: bool, xlsx: Path | None, pdf: Path | None, chart: Path | None,
               ringkas: bool = False) -> None:
    """One report (or a province's offices and their side-by-side table) to every output
    asked for; with no file asked, the Rich table (or JSON) on stdout.
    """
    utama = gabungan or daftar[0]
    if xlsx or pdf or chart or not as_json:
        from admin_cli import keluaran
    if xlsx is not None:
        keluaran.tulis_xlsx(xlsx, ([gabungan] if gabungan else []) + daftar)
        typer.echo(f"XLSX ditulis ke {xlsx}.", err=as_json)
    if chart is not None:
        grafik = next((lp.grafik for lp in [utama, *daftar] if lp.grafik is not None), None)
        if grafik is None:
            typer.echo("Grafik tidak dibuat: belum ada data pada periode ini.", err=True)
        else:
            keluaran.tulis_grafik(chart, grafik)
            typer.echo(f"Grafik ditulis ke {chart}.", err=as_json)
    if pdf is not None:
        profil = k.profil(daftar[0].data["_kid"])
        kop = keluaran.Kop(nama=utama.kantor, alamat=profil.alamat if gabungan is None else "",
                           telepon=profil.telepon if gabungan is None else "",
                           email=profil.email if gabungan is None else "")
        hari = k.clock.now().astimezone(profil.kalender.tz).date()
        keluaran.tulis_pdf(pdf, utama, kop, keluaran.Pengesahan(nama=ttd, tanggal=hari))
        typer.echo(f"PDF ditulis ke {pdf}.", err=as_json)
    if as_json:
        from admin_cli.main import _print_json

        if ringkas:  # `skm report --json`: exactly the CONTRACT's keys
            _print_json({key: utama.data[key]
                         for key in ("responden", "nrr", "ikm", "mutu", "kinerja")})
        elif gabungan is not None:
            _print_json({**gabungan.data,
                         "per_kantor": [{"kantor": lp.kantor, **_tanpa_kid(lp.data)}
                                        for lp in daftar]})
        else:
            _print_json(_tanpa_kid(utama.data))
    elif not (xlsx or pdf or chart):
        keluaran.cetak_rich(console, utama)


def _tanpa_kid(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "_kid"}


def _jalankan(kantor: str | None, semua: bool, buat: Callable[[Any, Any, Any, Any], Any],
              as_json: bool, xlsx: Path | None, pdf: Path | None, chart: Path | None,
              skm: bool = False, ringkas: bool = False) -> None:
    """Builds the report `buat(uow, sumber, tz, now)` for one office or each office."""
    from admin_cli.main import _container, handled

    with handled():
        k = _container()
        try:
            daftar, gabungan, ttd = bangun(k, _kantor_ids(k, kantor, semua), buat,
                                           k.clock.now(), skm=skm, provinsi=semua)
        except ValueError as exc:
            typer.echo(f"Galat: {exc}", err=True)
            raise typer.Exit(2) from None
        _keluarkan(k, daftar, gabungan, ttd, as_json, xlsx, pdf, chart, ringkas)


def bangun(k: Any, kids: list[int], buat: Callable[[Any, Any, Any, Any], Any], now: datetime,
           *, skm: bool = False, provinsi: bool = False) -> tuple[list[Any], Any, str | None]:
    """Each office's report (one unit of work each), the province's side-by-side report
    when asked, and the koordinator who signs; what benchmarks/report_bench.py times."""
    from dataclasses import replace

    from domain import laporan as lp

    def satu(kid: int) -> tuple[Any, Any]:
        with k.uow(kid) as uow:
            return buat(uow, _sumber(k, kid), k.profil(kid).kalender.tz, now), _koordinator(uow)

    if len(kids) > 1 and k.db.is_postgres:
        # PostgreSQL answers several offices at once (one connection and transaction each)
        import os
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(len(kids), os.cpu_count() or 2, 4)) as pool:
            hasil = list(pool.map(satu, kids))
    else:
        hasil = [satu(kid) for kid in kids]
    daftar, ttd, sel_semua = [], None, []
    for kid, (r, koordinator) in zip(kids, hasil, strict=True):
        if skm:
            sel_semua.extend(r.data.pop("_sel", []))
        ttd = ttd or koordinator
        daftar.append(replace(r, data={**r.data, "_kid": kid}))
    gabungan = None
    if provinsi:
        nama = "Provinsi: " + ", ".join(x.kantor for x in daftar) if len(daftar) < 3 \
            else f"Provinsi ({len(daftar)} kantor)"
        gabungan = lp.provinsi(daftar, nama=nama, skm=sel_semua if skm else None)
    return daftar, gabungan, ttd


def laporan_harian_cmd(tanggal: TanggalOpt = None, kantor: KantorOpt = None,
                       semua: ProvinsiOpt = False, as_json: JsonOpt = False,
                       xlsx: XlsxOpt = None, pdf: PdfOpt = None, chart: ChartOpt = None) -> None:
    """Rekapitulasi harian per jenis layanan (bawaan: hari ini)."""
    from domain.laporan import laporan_harian

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        hari = _tanggal(tanggal, "--tanggal") or now.astimezone(tz).date()
        return laporan_harian(uow, src, hari, now)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


def laporan_bulanan_cmd(bulan: BulanOpt = None, kantor: KantorOpt = None,
                        semua: ProvinsiOpt = False, as_json: JsonOpt = False,
                        xlsx: XlsxOpt = None, pdf: PdfOpt = None, chart: ChartOpt = None) -> None:
    """Rekap bulanan: permohonan per layanan, SLA, pengaduan, tamu dan IKM."""
    from domain.laporan import laporan_bulanan, periode_bulan

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        b = bulan or f"{now.astimezone(tz):%Y-%m}"
        return laporan_bulanan(uow, src, periode_bulan(b, tz), now)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


def laporan_semester_cmd(
        tahun: Annotated[int | None, typer.Option("--tahun", help="tahun (bawaan: tahun ini)")]
        = None,
        semester: Annotated[int | None, typer.Option(
            "--semester", help="1 (Jan–Jun) atau 2 (Jul–Des); bawaan: semester berjalan")] = None,
        kantor: KantorOpt = None, semua: ProvinsiOpt = False, as_json: JsonOpt = False,
        xlsx: XlsxOpt = None, pdf: PdfOpt = None, chart: ChartOpt = None) -> None:
    """Laporan enam bulanan: permohonan per layanan per bulan, SLA, pengaduan, IKM."""
    from domain.laporan import laporan_semester, periode_semester

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        lokal = now.astimezone(tz)
        return laporan_semester(uow, src, periode_semester(
            tahun or lokal.year, semester or (1 if lokal.month <= 6 else 2), tz), now)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


def _periode(dari: str | None, sampai: str | None, bulan: str | None, tz: Any,
             now: datetime) -> Any:
    """--from/--to, or --bulan, or this month."""
    from domain.laporan import periode_bulan, periode_rentang

    if dari or sampai:
        if bulan:
            raise ValueError("pilih --bulan atau --from/--to, tidak keduanya")
        today = now.astimezone(tz).date()
        a = _tanggal(dari, "--from") or today.replace(day=1)
        return periode_rentang(a, _tanggal(sampai, "--to") or today, tz)
    return periode_bulan(bulan or f"{now.astimezone(tz):%Y-%m}", tz)


def laporan_sla_cmd(dari: DariOpt = None, sampai: SampaiOpt = None, bulan: BulanOpt = None,
                    kantor: KantorOpt = None, semua: ProvinsiOpt = False,
                    as_json: JsonOpt = False, xlsx: XlsxOpt = None, pdf: PdfOpt = None,
                    chart: ChartOpt = None) -> None:
    """Ketepatan waktu (SLA, waktu kerja): per layanan, per jabatan dan per petugas."""
    from domain.laporan import laporan_sla

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        return laporan_sla(uow, src, _periode(dari, sampai, bulan, tz, now), now)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


def laporan_kinerja_cmd(
        dari: DariOpt = None, sampai: SampaiOpt = None, bulan: BulanOpt = None,
        tahun: Annotated[int | None, typer.Option("--tahun", help="dengan --semester")] = None,
        semester: Annotated[int | None, typer.Option("--semester", help="1 atau 2")] = None,
        kantor: KantorOpt = None, semua: ProvinsiOpt = False, as_json: JsonOpt = False,
        xlsx: XlsxOpt = None, pdf: PdfOpt = None, chart: ChartOpt = None) -> None:
    """Evaluasi kinerja pelaksana per petugas.

    Jumlah ditangani, median waktu kerja dan ketepatan waktu (bawaan: bulan ini;
    --tahun/--semester untuk evaluasi enam bulanan).
    """
    from domain.laporan import laporan_kinerja, periode_semester

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        if semester or tahun:
            lokal = now.astimezone(tz)
            p = periode_semester(tahun or lokal.year,
                                 semester or (1 if lokal.month <= 6 else 2), tz)
        else:
            p = _periode(dari, sampai, bulan, tz, now)
        return laporan_kinerja(uow, src, p, now)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


def laporan_pengaduan_cmd(bulan: BulanOpt = None, kantor: KantorOpt = None,
                          semua: ProvinsiOpt = False, as_json: JsonOpt = False,
                          xlsx: XlsxOpt = None, pdf: PdfOpt = None,
                          chart: ChartOpt = None) -> None:
    """Rekap pengaduan bulanan dan tindakan akar masalah.

    Per kategori, tier, topik, kanal dan status, ketepatan waktu, serta topik yang
    mencapai ambang bulanan beserta tindakan akar masalahnya.
    """
    from domain.laporan import laporan_pengaduan, periode_bulan

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        b = bulan or f"{now.astimezone(tz):%Y-%m}"
        return laporan_pengaduan(uow, src, periode_bulan(b, tz), now, b)

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart)


laporan_app.command("harian")(laporan_harian_cmd)
laporan_app.command("bulanan")(laporan_bulanan_cmd)
laporan_app.command("semester")(laporan_semester_cmd)
laporan_app.command("sla")(laporan_sla_cmd)
laporan_app.command("kinerja")(laporan_kinerja_cmd)
laporan_app.command("pengaduan")(laporan_pengaduan_cmd)


def skm_cmd(dari: str | None, sampai: str | None, layanan: str | None, as_json: bool,
            kantor: str | None, semua: bool, xlsx: Path | None, pdf: Path | None,
            chart: Path | None, ringkas: bool = False) -> None:
    from dataclasses import replace

    from domain.laporan import cocok_layanan, laporan_skm, periode_rentang

    d1, d2 = _tanggal(dari, "--from"), _tanggal(sampai, "--to")

    def buat(uow: Any, src: Any, tz: Any, now: datetime) -> Any:
        periode = None
        if d1 or d2:
            a = d1 or date(2000, 1, 1)
            periode = periode_rentang(a, d2 or max(a, now.astimezone(tz).date()), tz)
        sel = [c for c in uow.laporan.skm(d1, d2) if cocok_layanan(c.layanan, layanan)]
        r = laporan_skm(uow, src, periode, now, layanan, sel=sel)
        return replace(r, data={**r.data, "_sel": sel})

    _jalankan(kantor, semua, buat, as_json, xlsx, pdf, chart, skm=True, ringkas=ringkas)


def laporan_skm_cmd(dari: DariOpt = None, sampai: SampaiOpt = None,
                    layanan: LayananOpt = None, kantor: KantorOpt = None,
                    semua: ProvinsiOpt = False, as_json: JsonOpt = False, xlsx: XlsxOpt = None,
                    pdf: PdfOpt = None, chart: ChartOpt = None) -> None:
    """Survei kepuasan (IKM) per unsur dan per layanan.

    NRR dan mutu per unsur (di bawah B: perlu perbaikan), IKM per layanan (WhatsApp dan
    kertas), sampel minimum Krejcie-Morgan; --provinsi: IKM provinsi dari semua responden
    dan peringkat kantor.
    """
    skm_cmd(dari, sampai, layanan, as_json, kantor, semua, xlsx, pdf, chart)


laporan_app.command("skm")(laporan_skm_cmd)


def pengaduan_akar_masalah(
        topik: Annotated[str, typer.Option("--topik", help="kode topik dari config")],
        tindakan: Annotated[str, typer.Option(
            "--tindakan", help="tindakan atas akar masalah (mis. perbaikan SOP antrean)")],
        diberitahu: Annotated[str, typer.Option(
            "--diberitahu", help="kepada siapa disampaikan (penanggung jawab, pengarah)")],
        bulan: BulanOpt = None, oleh: OlehOpt = None, kantor: KantorOpt = None,
        as_json: JsonOpt = False) -> None:
    """Catat tindakan akar masalah topik yang mencapai ambang (koordinator).

    Tampil di `laporan pengaduan` bulan itu.
    """
    from admin_cli.main import _print_json, handled
    from domain.laporan import catat_akar_masalah
    from domain.wewenang import Aksi, ItemKantor

    k, kid = _office(kantor)
    profil = k.profil(kid)
    if topik not in profil.topik:
        typer.echo(f"Galat: topik '{topik}' tidak ada di konfigurasi "
                   f"(ada: {', '.join(profil.topik)})", err=True)
        raise typer.Exit(1)
    now = k.clock.now()
    b = bulan or f"{now.astimezone(profil.kalender.tz):%Y-%m}"
    with handled(), k.uow(kid) as uow:
        petugas, pl = pelaku(k, uow, oleh)
        wajib_boleh(k, Aksi.REKAP, pl, ItemKantor(kid))
        try:
            a = catat_akar_masalah(uow, bulan=b, topik=topik, tindakan=tindakan,
                                   diberitahu=diberitahu, oleh=pl.aktor.label(), now=now)
        except ValueError as exc:
            typer.echo(f"Galat: {exc}", err=True)
            raise typer.Exit(2) from None
        uow.commit()
    if as_json:
        _print_json({"bulan": a.bulan, "topik": a.topik, "tindakan": a.tindakan,
                     "diberitahu": a.diberitahu, "oleh": a.oleh,
                     "waktu": a.waktu.astimezone(profil.kalender.tz).isoformat()})
    else:
        typer.echo(f"Tindakan akar masalah topik '{profil.topik[topik]}' bulan {b} dicatat; "
                   f"diberitahukan kepada {a.diberitahu}.")
