"""`ptsp-admin rekap`, `antrian list` and the CSV exports: the koordinator's reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from admin_cli.opsi import JsonOpt, KantorOpt, pilih_kantor
from admin_cli.views import pengaduan_json, permohonan_json

console = Console()
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


def _tulis_csv(file: Path, kolom: list[str], rows: list[dict[str, Any]]) -> None:
    """UTF-8 with BOM (Excel opens it right); formula-like cells are written as text."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(kolom)
    for r in rows:
        cells = ["" if r.get(c) is None else str(r.get(c)) for c in kolom]
        w.writerow(["'" + v if v.startswith(_FORMULA) else v for v in cells])
    file.write_text(buf.getvalue(), encoding="utf-8-sig")


PERMOHONAN_KOLOM = ["nomor", "layanan", "status", "pemohon", "hp", "atas_nama", "diajukan",
                    "pemegang", "tenggat", "lampiran"]
PENGADUAN_KOLOM = ["nomor", "kategori", "tier", "topik", "status", "diterima", "tenggat"]


FileArg = Annotated[Path, typer.Argument(help="berkas CSV tujuan")]


def _ekspor(file: Path, dari: str | None, sampai: str | None, kantor: str | None,
            jenis: str, kolom: list[str],
            baris: Callable[[Any, str], Iterable[tuple[datetime, dict[str, Any]]]]) -> None:
    """Write the rows of one office whose time falls between --from and --to."""
    from admin_cli.main import handled

    k, kid = _office(kantor)
    mulai, akhir = _rentang(dari, sampai, k.profil(kid).kalender.tz)
    with handled(), k.uow(kid) as uow:
        rows = [d for waktu, d in baris(uow, k.profil(kid).timezone)
                if not ((mulai and waktu < mulai) or (akhir and waktu >= akhir))]
        _tulis_csv(file, kolom, rows)
    typer.echo(f"{len(rows)} {jenis} ditulis ke {file}.")


def permohonan_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
                      kantor: KantorOpt = None) -> None:
    """Ekspor permohonan (diajukan antara --from dan --to) ke berkas CSV."""
    def baris(uow: Any, tz: str) -> Iterable[tuple[datetime, dict[str, Any]]]:
        for p in uow.permohonan.list():
            d = permohonan_json(p, uow, tz)
            yield p.diajukan, d | {"pemohon": d["pemohon"]["nama"], "hp": d["pemohon"]["hp"]}

    _ekspor(file, dari, sampai, kantor, "permohonan", PERMOHONAN_KOLOM, baris)


def pengaduan_export(file: FileArg, dari: DariOpt = None, sampai: SampaiOpt = None,
                     kantor: KantorOpt = None) -> None:
    """Ekspor pengaduan (diterima antara --from dan --to) ke CSV, tanpa identitas pelapor."""
    _ekspor(file, dari, sampai, kantor, "pengaduan", PENGADUAN_KOLOM,
            lambda uow, tz: ((a.diterima, pengaduan_json(a, tz)) for a in uow.pengaduan.list()))
