"""`ptsp-admin`: the staff CLI (Typer + Rich) over the same services and bootstrap as the bots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from admin_cli import laporan, loket
from admin_cli import layanan as layanan_cmd
from admin_cli.db import db_app
from admin_cli.opsi import JsonOpt, KantorOpt, Konsol, pilih_kantor
from admin_cli.outbox import outbox_app
from admin_cli.pemohon import pemohon_app
from admin_cli.surat import surat_app
from admin_cli.tamu import tamu_app
from admin_cli.views import pengaduan_json, permohonan_json
from bot.settings import ConfigError
from domain import commands as c
from domain.errors import DomainError
from domain.skm import SKMImportError, parse_csv_skm
from storage.cadangan import CadanganError

app = typer.Typer(help="PTSP: perintah staf (petugas, permohonan, pengaduan, SKM, layanan, "
                  "antrian, tamu, surat, pesan keluar, rekap, laporan, data pemohon, "
                  "cadangan basis data).",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
petugas_app = typer.Typer(help="Petugas: tambah, daftar, kode tautan, Plt/Plh, nonaktif.",
                          no_args_is_help=True)
permohonan_app = typer.Typer(help="Permohonan: daftar, detail, ekspor CSV/XLSX, ajukan di loket, "
                             "serahkan hasil.", no_args_is_help=True)
pengaduan_app = typer.Typer(help="Pengaduan: daftar, detail (buku pengaduan), catat dari "
                            "telepon/tatap muka/surat, tindakan akar masalah, ekspor "
                            "CSV/XLSX.", no_args_is_help=True)
skm_app = typer.Typer(help="Survei Kepuasan Masyarakat: impor, laporan IKM, ekspor.",
                      no_args_is_help=True)
app.add_typer(petugas_app, name="petugas")
app.add_typer(permohonan_app, name="permohonan")
app.add_typer(pengaduan_app, name="pengaduan")
app.add_typer(skm_app, name="skm")
app.add_typer(layanan_cmd.app, name="layanan")
app.add_typer(laporan.antrian_app, name="antrian")
app.add_typer(tamu_app, name="tamu")
app.add_typer(outbox_app, name="outbox")
app.add_typer(pemohon_app, name="pemohon")
app.add_typer(surat_app, name="surat")
app.add_typer(db_app, name="db")
app.command("rekap")(laporan.rekap)
app.add_typer(laporan.laporan_app, name="laporan")
permohonan_app.command("export")(laporan.permohonan_export)
pengaduan_app.command("export")(laporan.pengaduan_export)
skm_app.command("export")(laporan.skm_export)
tamu_app.command("export")(laporan.tamu_export)
pengaduan_app.command("akar-masalah")(laporan.pengaduan_akar_masalah)
permohonan_app.command("ajukan")(loket.permohonan_ajukan)
permohonan_app.command("serahkan")(loket.permohonan_serahkan)
permohonan_app.command("cetak")(loket.permohonan_cetak)
pengaduan_app.command("catat")(loket.pengaduan_catat)
pengaduan_app.command("show")(loket.pengaduan_show)
pengaduan_app.command("klasifikasi")(loket.pengaduan_klasifikasi)
pengaduan_app.command("jawab")(loket.pengaduan_jawab)
pengaduan_app.command("teruskan")(loket.pengaduan_teruskan)
laporan.antrian_app.command("ambil")(loket.antrian_ambil)
laporan.antrian_app.command("panggil")(loket.antrian_panggil)

console = Konsol()


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@contextmanager
def handled() -> Iterator[None]:
    """A user's mistake is one line on stderr and exit 1, never a traceback."""
    try:
        yield
    except (ConfigError, DomainError, SKMImportError, CadanganError, OSError) as exc:
        typer.echo(f"Galat: {exc}", err=True)
        raise typer.Exit(1) from None


def _container() -> Any:
    from bot.bootstrap import bootstrap
    from bot.officials.notify import pasang
    from bot.settings import load_settings
    from storage.migrate import ensure_schema

    settings = load_settings()
    ensure_schema(settings.database_url)  # staff may run it before the first `db upgrade`
    return pasang(bootstrap(settings))  # the counter prompts officials as WhatsApp does


# -- petugas ---------------------------------------------------------------------------


@petugas_app.command("add")
def petugas_add(
    nama: Annotated[str, typer.Option("--nama", help="nama lengkap")],
    role: Annotated[str, typer.Option(
        "--role", help="cs, bo, koordinator, pejabat, arsiparis, admin")],
    jabatan: Annotated[str | None,
                       typer.Option("--jabatan", help="kode jabatan dari config")] = None,
    tugas: Annotated[str, typer.Option("--tugas", help="layanan,surat,aduan_skm")] = "",
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Tambah petugas; mencetak kode tautan Telegram sekali pakai (/start KODE)."""
    with handled():
        k = _container()
        cmd = c.TambahPetugas(nama=nama, role=role, jabatan=jabatan,
                              tugas=tuple(t.strip() for t in tugas.split(",") if t.strip()))
        with k.uow(pilih_kantor(k, kantor)) as uow:
            p = k.bus.handle(cmd, uow)
    out = {"id": p.id, "nama": p.nama, "role": str(p.role), "jabatan": p.jabatan,
           "kode_tautan": p.kode_tautan}
    if as_json:
        _print_json(out)
    else:
        console.print(f"Petugas [bold]{p.nama}[/] ({p.role}) dibuat. Kirim ke bot Telegram: "
                      f"[bold]/start {p.kode_tautan}[/]")


def _petugas(uow: Any, petugas_id: int) -> Any:
    from domain.errors import PetugasTidakDitemukan

    p = uow.petugas.get(petugas_id)
    if p is None:
        raise PetugasTidakDitemukan(f"petugas {petugas_id} tidak ditemukan")
    return p


@petugas_app.command("link-code")
def petugas_link_code(petugas_id: Annotated[int, typer.Argument(help="id petugas")],
                      as_json: JsonOpt = False, kantor: KantorOpt = None) -> None:
    """Kode tautan Telegram baru (kode lama dan tautan yang ada tidak berlaku lagi)."""
    from domain.services import KODE_TAUTAN_BERLAKU, buat_kode_tautan

    with handled():
        k = _container()
        with k.uow(pilih_kantor(k, kantor)) as uow:
            p = _petugas(uow, petugas_id)
            if not p.aktif:
                typer.echo(f"Galat: petugas {p.nama} tidak aktif", err=True)
                raise typer.Exit(1)
            p.kode_tautan = buat_kode_tautan()
            p.kode_kedaluwarsa = k.clock.now() + KODE_TAUTAN_BERLAKU
            uow.petugas.add(p)
            uow.commit()
    if as_json:
        _print_json({"id": p.id, "nama": p.nama, "kode_tautan": p.kode_tautan})
    else:
        console.print(f"Kode baru untuk {p.nama}: [bold]/start {p.kode_tautan}[/] "
                      "(berlaku 72 jam)")


@petugas_app.command("wakil")
def petugas_wakil(
    jabatan: Annotated[str, typer.Option("--jabatan", help="jabatan yang diwakili")],
    petugas_id: Annotated[int, typer.Option("--petugas", help="id petugas Plt/Plh")],
    sampai: Annotated[str, typer.Option("--sampai", help="tanggal akhir (YYYY-MM-DD)")],
    kantor: KantorOpt = None,
) -> None:
    """Plt/Plh: tugas dan wewenang suatu jabatan dilimpahkan kepada petugas lain sampai tanggal."""
    from domain.model import Delegasi

    try:
        akhir = date.fromisoformat(sampai)
    except ValueError:
        typer.echo("Galat: --sampai harus YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        if jabatan not in k.profil(kid).jabatan:
            typer.echo(f"Galat: jabatan '{jabatan}' tidak ada di konfigurasi kantor", err=True)
            raise typer.Exit(1)
        if akhir < k.clock.now().astimezone(k.profil(kid).kalender.tz).date():
            typer.echo("Galat: tanggal --sampai sudah lewat", err=True)
            raise typer.Exit(1)
        with k.uow(kid) as uow:
            p = _petugas(uow, petugas_id)
            uow.petugas.add_delegasi(Delegasi(jabatan=jabatan, petugas_id=p.id, sampai=akhir))
            uow.commit()
    console.print(f"{p.nama} menjadi Plt/Plh {k.profil(kid).nama_jabatan(jabatan)} "
                  f"sampai {akhir.isoformat()}.")


@petugas_app.command("deactivate")
def petugas_deactivate(petugas_id: Annotated[int, typer.Argument(help="id petugas")],
                       kantor: KantorOpt = None) -> None:
    """Nonaktifkan petugas: tidak menerima tugas lagi, tautan dan kode Telegram dihapus."""
    with handled():
        k = _container()
        with k.uow(pilih_kantor(k, kantor)) as uow:
            p = _petugas(uow, petugas_id)
            p.aktif, p.telegram_user_id, p.kode_tautan = False, None, None
            uow.petugas.add(p)
            uow.commit()
    console.print(f"Petugas {p.nama} dinonaktifkan.")


@petugas_app.command("list")
def petugas_list(as_json: JsonOpt = False, kantor: KantorOpt = None) -> None:
    """Daftar petugas satu kantor (dengan peringatan jabatan tanpa pemegang)."""
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        with k.uow(kid) as uow:
            rows = uow.petugas.list(aktif=None)
            kosong = _jabatan_kosong(k, uow, kid)
    data = [{"id": p.id, "nama": p.nama, "role": str(p.role), "jabatan": p.jabatan,
             "tugas": list(p.tugas), "aktif": p.aktif,
             "telegram": p.telegram_user_id is not None} for p in rows]
    if kosong:  # on stderr: the JSON on stdout stays one array
        typer.echo(k.pesan("admin_jabatan_kosong", jabatan=", ".join(kosong)), err=True)
    if as_json:
        _print_json(data)
        return
    t = Table("ID", "Nama", "Role", "Jabatan", "Tugas", "Aktif", "Telegram")
    for d in data:
        t.add_row(str(d["id"]), d["nama"], d["role"], d["jabatan"] or "-",
                  ",".join(d["tugas"]) or "-", "ya" if d["aktif"] else "tidak",
                  "tertaut" if d["telegram"] else "belum")
    console.print(t)


def _jabatan_kosong(k: Any, uow: Any, kantor_id: int) -> list[str]:
    """The jabatan of this office nobody active holds today, by name."""
    from domain.penerima import jabatan_kosong

    profil = k.profil(kantor_id)
    today = k.clock.now().astimezone(profil.kalender.tz).date()
    return [profil.nama_jabatan(j) for j in jabatan_kosong(
        profil, uow.petugas.list(), uow.petugas.delegasi(today), today)]


# -- permohonan ------------------------------------------------------------------------


@permohonan_app.command("list")
def permohonan_list(
    status: Annotated[str | None, typer.Option("--status")] = None,
    layanan: Annotated[str | None, typer.Option("--layanan")] = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Daftar permohonan, terbaru dahulu."""
    from domain.status import Status

    if status is not None and status not in {s.value for s in Status}:
        typer.echo(f"Galat: status tidak dikenal '{status}'; pilih dari "
                   + ", ".join(s.value for s in Status), err=True)
        raise typer.Exit(1)
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        if layanan is not None:
            layanan = k.katalog_of(kid).resolve(layanan).kode
        tz = k.profil(kid).timezone
        with k.uow(kid) as uow:
            data = [permohonan_json(p, uow, tz) for p in
                    uow.permohonan.list(status=status, layanan=layanan)]
    if as_json:
        _print_json(data)
        return
    t = Table("Nomor", "Layanan", "Status", "Pemohon", "Atas nama", "Diajukan", "Tenggat")
    for d in data:
        t.add_row(d["nomor"], d["layanan"], d["status"], d["pemohon"]["nama"] or "-",
                  d["atas_nama"], d["diajukan"][:16], (d["tenggat"] or "-")[:16])
    console.print(t)


@permohonan_app.command("show")
def permohonan_show(nomor: str, as_json: JsonOpt = False, kantor: KantorOpt = None) -> None:
    """Satu permohonan dengan riwayat dan berkasnya."""
    from domain.identitas import normalize_nomor

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        tz = k.profil(kid).timezone
        key = normalize_nomor(nomor) or nomor
        with k.uow(kid) as uow:
            p = uow.permohonan.get(key)
            if p is None:
                typer.echo(f"Galat: permohonan {nomor} tidak ditemukan", err=True)
                raise typer.Exit(1)
            data = permohonan_json(p, uow, tz, detail=True)
    if as_json:
        _print_json(data)
        return
    console.print(f"[bold]{data['nomor']}[/] · {data['layanan']} · {data['status']}")
    t = Table("Waktu", "Status", "Oleh", "Catatan")
    for r in data["timeline"]:
        t.add_row(r["waktu"][:16], r["status"], r["oleh"], r["catatan"] or "")
    console.print(t)


# -- pengaduan -------------------------------------------------------------------------


@pengaduan_app.command("list")
def pengaduan_list(as_json: JsonOpt = False, kantor: KantorOpt = None) -> None:
    """Daftar pengaduan, terbaru dahulu (pelapor anonim disembunyikan)."""
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        tz = k.profil(kid).timezone
        with k.uow(kid) as uow:
            data = [pengaduan_json(p, tz) for p in uow.pengaduan.list()]
    if as_json:
        _print_json(data)
        return
    t = Table("Nomor", "Kategori", "Tier", "Topik", "Status", "Diterima", "Tenggat")
    for d in data:
        t.add_row(d["nomor"], d["kategori"], d["tier"], d["topik"] or "-", d["status"],
                  d["diterima"][:16], (d["tenggat"] or "-")[:16])
    console.print(t)


# -- SKM -------------------------------------------------------------------------------


@skm_app.command("import")
def skm_import(file: Annotated[Path, typer.Argument(help="CSV: u1..u9[, tanggal, layanan]")],
               kantor: KantorOpt = None) -> None:
    """Impor kuesioner SKM kertas (CSV); satu baris salah menolak seluruh berkas."""
    from domain.model import SurveiSKM

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        text = file.read_bytes().decode("utf-8-sig", errors="strict")
        codes = set(k.katalog_of(kid))
        rows = parse_csv_skm(text, layanan_dikenal=codes)
        today = k.clock.now().astimezone(k.profil(kid).kalender.tz).date()
        with k.uow(kid) as uow:
            uow.skm.add_many([SurveiSKM(
                kantor_id=uow.kantor_id, tanggal=r.tanggal or today,
                nilai=tuple(r.jawaban.nilai), layanan=r.layanan, sumber="kertas") for r in rows])
            uow.commit()
    typer.echo(f"{len(rows)} kuesioner SKM diimpor.")


@skm_app.command("report")
def skm_report(
    dari: laporan.DariOpt = None,
    sampai: laporan.SampaiOpt = None,
    layanan: laporan.LayananOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
    semua: laporan.ProvinsiOpt = False,
    xlsx: laporan.XlsxOpt = None,
    pdf: laporan.PdfOpt = None,
    chart: laporan.ChartOpt = None,
) -> None:
    """Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) untuk suatu periode.

    --json memuat responden, NRR, IKM, mutu, kinerja (rincian per unsur dan layanan:
    `laporan skm`).
    """
    laporan.skm_cmd(dari, sampai, layanan, as_json, kantor, semua, xlsx, pdf, chart,
                    ringkas=True)


def main() -> None:
    import sys

    if len(sys.argv) < 2 or {"--help", "-h"} & set(sys.argv[1:]):
        from admin_cli.bantuan import pasang  # only help pays for Typer's help module

        pasang()
    app()
