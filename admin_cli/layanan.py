"""`ptsp-admin layanan list|show`: the catalog as the office publishes it."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from admin_cli.opsi import JsonOpt, KantorOpt, Konsol, pilih_kantor
from domain.katalog import CATATAN_CONTOH, Katalog, Layanan

app = typer.Typer(help="Katalog layanan: daftar dan standar pelayanan.", no_args_is_help=True)
console = Konsol()

# The 14 components of UU 25/2009 Pasal 21, in the office's words and order of publication.
KOMPONEN: list[tuple[str, str]] = [
    ("persyaratan", "Persyaratan"),
    ("prosedur", "Sistem, Mekanisme, dan Prosedur"),
    ("jangka_waktu", "Jangka Waktu Penyelesaian"),
    ("biaya", "Biaya/Tarif"),
    ("produk", "Produk Pelayanan"),
    ("penanganan_pengaduan", "Penanganan Pengaduan, Saran, dan Masukan"),
    ("dasar_hukum", "Dasar Hukum"),
    ("sarana", "Sarana, Prasarana, dan/atau Fasilitas"),
    ("kompetensi_pelaksana", "Kompetensi Pelaksana"),
    ("pengawasan_internal", "Pengawasan Internal"),
    ("jumlah_pelaksana", "Jumlah Pelaksana"),
    ("jaminan_pelayanan", "Jaminan Pelayanan"),
    ("jaminan_keamanan", "Jaminan Keamanan dan Keselamatan Pelayanan"),
    ("evaluasi_kinerja", "Evaluasi Kinerja Pelaksana"),
]
JENIS = {"dokumen": "dokumen", "pernyataan": "pernyataan", "asli_dibawa": "asli dibawa ke loket"}
PENYERAHAN = {"loket": "diambil di loket", "whatsapp": "salinan via WhatsApp", "kurir": "kurir"}


def _katalog(kantor: str | None = None) -> Katalog:
    """The catalog of one office, its `layanan_override` applied."""
    from admin_cli.main import _container

    c = _container()
    return c.katalog_of(pilih_kantor(c, kantor))


def _lines(lay: Layanan, field: str) -> list[str]:
    if field == "persyaratan":
        out = []
        for i, p in enumerate(lay.persyaratan, 1):
            extra = f" — berkas: {', '.join(str(b) for b in p.berkas)}" if p.berkas else ""
            wajib = "" if p.wajib else " (tidak wajib)"
            out.append(f"{i}. {p.nama} [{JENIS.get(str(p.jenis), p.jenis)}]{wajib}{extra}")
        return out or ["Tidak ada persyaratan"]
    if field == "jangka_waktu":
        mulai = ("sejak pengajuan" if str(lay.jangka_waktu.mulai) == "pengajuan"
                 else "sejak berkas dinyatakan lengkap")
        return [f"{lay.jangka_waktu.teks} ({mulai})"]
    if field == "produk":
        return [lay.produk, "Penyerahan: " + ", ".join(
            PENYERAHAN.get(str(p), str(p)) for p in lay.penyerahan)]
    value: Any = getattr(lay, field)
    if isinstance(value, str):
        return [value]
    return [f"{i}. {v}" for i, v in enumerate(value, 1)]


@app.command("list")
def list_(as_json: JsonOpt = False,
          kantor: KantorOpt = None) -> None:
    """Daftar layanan (induk dahulu); butir `contoh` ditandai."""
    kat = _katalog(kantor)
    items = [kat[k] for k in kat]
    if as_json:
        typer.echo(json.dumps([{
            "kode": i.kode, "nama": i.nama, "status": str(i.status), "desk": str(i.desk),
            "jangka_waktu": i.jangka_waktu.teks, "biaya": i.biaya,
            "catatan": i.catatan} for i in items], ensure_ascii=False, indent=2))
        return
    t = Table("Kode", "Nama", "Status", "Waktu", "Biaya", "Desk", title="Katalog layanan")
    for i in items:
        indent = "  " * i.kode.count(".")
        status = f"[yellow]{CATATAN_CONTOH}[/]" if i.is_contoh else "[green]resmi[/]"
        t.add_row(indent + i.kode, i.nama, status, i.jangka_waktu.teks, i.biaya, str(i.desk))
    console.print(t)


@app.command("show")
def show(kode: str, kantor: KantorOpt = None) -> None:
    """Standar pelayanan satu layanan, dengan 14 komponennya."""
    from domain.errors import DomainError

    kat = _katalog(kantor)
    try:
        lay = kat.resolve(kode)
    except DomainError:
        typer.echo(f"Galat: layanan '{kode}' tidak ada di katalog", err=True)
        raise typer.Exit(1) from None
    console.print(f"[bold]STANDAR PELAYANAN {lay.nama.upper()}[/] ({lay.kode})")
    if lay.is_contoh:
        console.print(f"[yellow]Catatan: {CATATAN_CONTOH}[/]")
    console.print(f"Sumber: {lay.sumber}\n")
    for n, (field, judul) in enumerate(KOMPONEN, 1):
        console.print(f"[bold]{n}. {judul}[/]")
        for line in _lines(lay, field):
            console.print(f"   {line}", highlight=False)
    if lay.routing.konfirmasi or lay.routing.disposisi_ke:
        console.print(f"\n[dim]Alur: konfirmasi oleh {lay.routing.konfirmasi or '-'}; "
                      f"disposisi ke {', '.join(lay.routing.disposisi_ke) or '-'}[/]")
