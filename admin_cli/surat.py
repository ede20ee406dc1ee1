"""`ptsp-admin surat …`: tata persuratan at the counter (seeds 001–002, CONTRACT.md).

- `surat masuk catat`: register an incoming letter (agenda number per kantor and year),
  with its scan in the file store;
- `surat masuk lembar-disposisi AGENDA FILE.pdf`: print its lembar disposisi;
- `surat keluar nomor`: the next outgoing letter number in the naskah dinas format.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from admin_cli.opsi import (
    JsonOpt,
    KantorOpt,
    Konsol,
    OlehOpt,
    pelaku,
    pilih_kantor,
    tolak,
    wajib_boleh,
)

surat_app = typer.Typer(help="Tata persuratan: surat masuk (agenda, lembar disposisi) dan "
                        "nomor surat keluar.", no_args_is_help=True)
masuk_app = typer.Typer(help="Surat masuk: catat dengan nomor agenda, cetak lembar disposisi.",
                        no_args_is_help=True)
keluar_app = typer.Typer(help="Surat keluar: ambil nomor naskah dinas.", no_args_is_help=True)
surat_app.add_typer(masuk_app, name="masuk")
surat_app.add_typer(keluar_app, name="keluar")

console = Konsol()

MAKS_SCAN = 10 * 1024 * 1024
#: accepted scans: extension → (magic bytes, file store extension)
JENIS_SCAN = {"pdf": (b"%PDF-", "pdf"), "jpg": (b"\xff\xd8\xff", "jpg"),
              "jpeg": (b"\xff\xd8\xff", "jpg"), "png": (b"\x89PNG\r\n\x1a\n", "png")}

SifatOpt = Annotated[str, typer.Option(
    "--sifat", help="biasa, segera, sangat_segera atau rahasia (surat keluar juga "
    "sangat_rahasia)")]


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _container() -> Any:
    from admin_cli.main import _container as buat

    return buat()


def _tanggal(teks: str) -> date:
    """`YYYY-MM-DD` (also `DD-MM-YYYY` / `DD/MM/YYYY` as written on letters); else exit 2."""
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(teks.strip(), fmt).date()
        except ValueError:
            continue
    typer.echo("Galat: --tanggal harus YYYY-MM-DD (tanggal surat)", err=True)
    raise typer.Exit(2)


def _baca_scan(path: Path) -> tuple[bytes, str]:
    """The scan's bytes and its file store extension; a wrong file is refused (exit 1)."""
    if not path.is_file():
        raise tolak(f"berkas pindaian {path} tidak ditemukan")
    jenis = JENIS_SCAN.get(path.suffix.lower().lstrip("."))
    if jenis is None:
        raise tolak(f"berkas pindaian {path.name} bukan PDF, JPEG atau PNG; pindai ulang "
                    "dalam salah satu format itu")
    if path.stat().st_size > MAKS_SCAN:
        raise tolak(f"berkas pindaian {path.name} lebih dari 10 MB; pindai ulang dengan "
                    "resolusi lebih kecil (mis. 150 dpi)")
    data = path.read_bytes()
    if len(data) > MAKS_SCAN:
        raise tolak(f"berkas pindaian {path.name} lebih dari 10 MB")
    magic, ext = jenis
    if not data.startswith(magic):
        raise tolak(f"isi berkas {path.name} bukan {ext.upper()} yang sah")
    return data, ext


def masuk_json(s: Any, tz: str) -> dict[str, Any]:
    """The `surat masuk catat --json` object of CONTRACT.md."""
    from zoneinfo import ZoneInfo

    return {"agenda": s.nomor_agenda, "dari": s.dari, "nomor": s.nomor,
            "tanggal": s.tanggal.isoformat(), "perihal": s.perihal, "sifat": s.sifat,
            "diterima": s.diterima.astimezone(ZoneInfo(tz)).isoformat()}


@masuk_app.command("catat")
def masuk_catat(
    dari: Annotated[str, typer.Option("--dari", help="pengirim surat (instansi/nama)")],
    nomor: Annotated[str, typer.Option("--nomor", help="nomor surat dari pengirim")],
    tanggal: Annotated[str, typer.Option("--tanggal", help="tanggal surat (YYYY-MM-DD)")],
    perihal: Annotated[str, typer.Option("--perihal", help="perihal / hal surat")],
    sifat: SifatOpt = "biasa",
    scan: Annotated[Path | None, typer.Option(
        "--scan", help="pindaian surat: PDF, JPEG atau PNG, paling besar 10 MB")] = None,
    kepada: Annotated[str | None, typer.Option(
        "--kepada", help="kode jabatan yang pertama mendisposisi (bawaan: kepala kantor)")
    ] = None,
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Catat surat masuk dengan nomor agenda berikutnya tahun ini (per kantor)."""
    from admin_cli.main import handled
    from domain.surat import CatatSuratMasuk, Scan
    from domain.wewenang import Aksi, ItemKantor
    from storage.files import FileStore

    tgl = _tanggal(tanggal)
    isi_scan = _baca_scan(scan) if scan is not None else None
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        tz = k.profil(kid).timezone
        with k.uow(kid) as uow:
            _, pl = pelaku(k, uow, oleh)
            wajib_boleh(k, Aksi.SURAT, pl, ItemKantor(kid))
            berkas = None
            if isi_scan is not None and scan is not None:
                sha = FileStore(k.settings.data_dir).put(isi_scan[0], isi_scan[1])
                berkas = Scan(sha, scan.name)
            s = k.bus.handle(CatatSuratMasuk(pelaku=pl, dari=dari, nomor=nomor, tanggal=tgl,
                                             perihal=perihal, sifat=sifat, scan=berkas,
                                             kepada=kepada), uow)
    data = masuk_json(s, tz)
    if as_json:
        _print_json(data)
        return
    t = Table("Kolom", "Isi", title=f"Surat masuk dicatat: agenda {data['agenda']}",
              show_header=False)
    for label, key in (("Agenda", "agenda"), ("Dari", "dari"), ("Nomor surat", "nomor"),
                       ("Tanggal surat", "tanggal"), ("Perihal", "perihal"),
                       ("Sifat", "sifat"), ("Diterima", "diterima")):
        t.add_row(label, str(data[key]))
    if s.scan is not None:
        t.add_row("Pindaian", s.scan.nama)
    if s.pemegang:
        t.add_row("Untuk disposisi", k.profil(kid).nama_jabatan(s.pemegang))
    console.print(t)
    console.print(f"Cetak lembar disposisi: [bold]ptsp-admin surat masuk lembar-disposisi "
                  f"{data['agenda']} lembar.pdf[/]", highlight=False)


@masuk_app.command("lembar-disposisi")
def masuk_lembar_disposisi(
    agenda: Annotated[str, typer.Argument(
        help="nomor agenda, mis. 0001/2026 (atau 1: tahun ini)")],
    file: Annotated[Path, typer.Argument(help="berkas PDF tujuan")],
    kantor: KantorOpt = None,
) -> None:
    """Tulis lembar disposisi (PDF A4) sebuah surat masuk untuk dicetak."""
    from admin_cli.main import handled
    from admin_cli.surat_pdf import lembar_disposisi
    from domain.surat import SuratTidakDitemukan, format_agenda, parse_agenda

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        profil = k.profil(kid)
        now = k.clock.now()
        no, tahun = parse_agenda(agenda, now.astimezone(profil.kalender.tz).year)
        with k.uow(kid) as uow:
            s = uow.surat.masuk(no, tahun)
        if s is None:
            raise SuratTidakDitemukan(
                f"surat masuk dengan agenda {format_agenda(no, tahun)} tidak ditemukan")
        file.write_bytes(lembar_disposisi(s, profil, dicetak=now))
    typer.echo(f"Lembar disposisi agenda {s.nomor_agenda} ditulis ke {file}.")


@masuk_app.command("list")
def masuk_list(
    tahun: Annotated[int | None, typer.Option("--tahun", help="tahun agenda (bawaan: ini)")
                     ] = None,
    cari: Annotated[str | None, typer.Option(
        "--cari", help="cari di pengirim, nomor surat atau perihal")] = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Buku agenda surat masuk: nomor agenda, pengirim, perihal, status dan pemegangnya."""
    from admin_cli.main import handled

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        profil = k.profil(kid)
        tahun = tahun or k.clock.now().astimezone(profil.kalender.tz).year
        with k.uow(kid) as uow:
            rows = uow.surat.list_masuk(tahun)
    kata = " ".join((cari or "").lower().split())
    if kata:
        rows = [s for s in rows if kata in f"{s.dari} {s.nomor} {s.perihal}".lower()]
    if as_json:
        _print_json([{**masuk_json(s, profil.timezone), "status": s.status,
                      "pemegang": s.pemegang, "permohonan": s.permohonan,
                      "disposisi": [{"dari": d.dari_jabatan, "ke": d.ke_jabatan or None,
                                     "instruksi": d.instruksi, "catatan": d.catatan,
                                     "oleh": d.oleh, "waktu": d.waktu.isoformat()}
                                    for d in s.disposisi]} for s in rows])
        return
    t = Table("Agenda", "Dari", "Nomor surat", "Perihal", "Status", "Pemegang",
              title=f"Buku agenda surat masuk {tahun}: {len(rows)} surat")
    for s in rows:
        t.add_row(s.nomor_agenda, s.dari, s.nomor, s.perihal[:60], s.status,
                  profil.nama_jabatan(s.pemegang) if s.pemegang else "-")
    console.print(t)


@keluar_app.command("nomor")
def keluar_nomor(
    jabatan: Annotated[str, typer.Option("--jabatan", help="kode jabatan penanda tangan "
                                         "(dari config, mis. kabag_tu)")],
    klasifikasi: Annotated[str, typer.Option("--klasifikasi", help="kode klasifikasi arsip, "
                                             "mis. KP.01.2")],
    perihal: Annotated[str, typer.Option("--perihal", help="perihal / hal surat")],
    sifat: SifatOpt = "biasa",
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Ambil nomor surat keluar berikutnya tahun ini (format naskah dinas KMA 9/2016)."""
    from admin_cli.main import handled
    from domain.surat import NomorSuratKeluar
    from domain.wewenang import Aksi, ItemKantor

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        with k.uow(kid) as uow:
            _, pl = pelaku(k, uow, oleh)
            wajib_boleh(k, Aksi.SURAT, pl, ItemKantor(kid))
            s = k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan=jabatan,
                                              klasifikasi=klasifikasi, perihal=perihal,
                                              sifat=sifat), uow)
    data = {"nomor": s.nomor, "tanggal": s.tanggal.isoformat(), "perihal": s.perihal}
    if as_json:
        _print_json(data)
        return
    console.print(f"Nomor surat keluar: [bold]{s.nomor}[/] ({s.tanggal.isoformat()}) — "
                  f"{s.perihal}", highlight=False)
