"""`ptsp-admin tamu …`: the buku tamu at the desk (seed 004, CONTRACT.md "The counter").

Every state-changing command takes `--oleh ID` (or `PTSP_PETUGAS`) and is checked against
`domain.wewenang` (`Aksi.TAMU`) before the domain handler runs; a refusal is one line on
stderr and exit 1.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
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
from admin_cli.views import iso
from domain.tamu import CheckinTamu, CheckoutTamu, DaftarTamu, JawabTamu, Tamu

tamu_app = typer.Typer(help="Buku tamu: pendaftaran, check-in, check-out, ekspor (seed 004).",
                       no_args_is_help=True)
console = Konsol()

#: a pass's QR signed like the receipts: `TMU-261124-0001.<16 hex of HMAC>`
_QR_BERTANDA = re.compile(r"(TMU-\d{6}-\d{4,5})\.([0-9a-fA-F]{16})")


def tamu_json(t: Tamu, tz: str) -> dict[str, Any]:
    """The CONTRACT.md object: times ISO 8601 with the office's offset, null when unset."""
    return {"nomor": t.nomor, "nama": t.nama, "tujuan": t.tujuan, "status": t.status,
            "waktu": iso(t.waktu, tz), "masuk": iso(t.masuk, tz), "keluar": iso(t.keluar, tz)}


def _cetak_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _tabel(k: Any, kid: int, rows: list[Tamu], judul: str) -> None:
    profil = k.profil(kid)
    t = Table("Nomor", "Nama", "Instansi", "Tujuan", "Waktu", "Status", "Masuk", "Keluar",
              title=judul)

    def jam(dt: datetime | None) -> str:
        return dt.astimezone(profil.kalender.tz).strftime("%H.%M") if dt else "-"

    for x in rows:
        waktu = x.waktu.astimezone(profil.kalender.tz).strftime("%d-%m-%Y %H.%M")
        t.add_row(x.nomor, x.nama, x.instansi or "-", profil.nama_jabatan(x.tujuan), waktu,
                  x.status, jam(x.masuk), jam(x.keluar))
    console.print(t)


def _waktu(value: str | None, tz: Any) -> datetime | None:
    """`--waktu` as ISO 8601; without an offset it is the office's local time."""
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        typer.echo("Galat: --waktu harus ISO 8601, mis. 2026-11-24T10:00+07:00", err=True)
        raise typer.Exit(2) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def _jalankan(kantor: str | None, oleh: int | None, buat: Any, as_json: bool,
              cek: Any = None, tuan_rumah: str | None = None) -> Tamu:
    """Check the petugas may work the guest book (or, with `tuan_rumah`, answer that guest
    as its host), run the command, print the guest."""
    from admin_cli.main import _container, handled
    from domain.tamu import TamuTidakDitemukan, cari_nomor_tamu
    from domain.wewenang import Aksi, ItemKantor

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        with k.uow(kid) as uow:
            _, pl = pelaku(k, uow, oleh)
            if tuan_rumah is None:
                wajib_boleh(k, Aksi.TAMU, pl, ItemKantor(kid), nomor="buku tamu")
            else:
                nomor = cari_nomor_tamu(tuan_rumah) or tuan_rumah.strip()
                t = uow.tamu.get(nomor)
                if t is None:
                    raise TamuTidakDitemukan(nomor)
                wajib_boleh(k, Aksi.TAMU_JAWAB, pl, t, nomor=nomor)
            if cek is not None:
                cek(k)
            t = k.bus.handle(buat(pl.aktor, k.profil(kid)), uow)
    if as_json:
        _cetak_json(tamu_json(t, k.profil(kid).timezone))
    else:
        _tabel(k, kid, [t], f"Tamu {t.nomor}")
    return t


@tamu_app.command("daftar")
def tamu_daftar(
    nama: Annotated[str, typer.Option("--nama", help="nama tamu (sesuai KTP)")],
    tujuan: Annotated[str, typer.Option(
        "--tujuan", help="kode jabatan yang ditemui, dari config (mis. kabag_tu)")],
    keperluan: Annotated[str, typer.Option("--keperluan", help="keperluan kunjungan")],
    nik: Annotated[str | None, typer.Option("--nik", help="NIK 16 digit (opsional)")] = None,
    hp: Annotated[str | None, typer.Option("--hp", help="nomor HP/WhatsApp (opsional)")] = None,
    instansi: Annotated[str | None, typer.Option("--instansi", help="asal instansi")] = None,
    waktu: Annotated[str | None, typer.Option(
        "--waktu", help="rencana waktu kunjungan, ISO 8601 (bawaan: sekarang)")] = None,
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Daftarkan tamu: nomor TMU-…, dan pejabat yang dituju diberi tahu di Telegram."""
    def buat(aktor: Any, profil: Any) -> DaftarTamu:
        return DaftarTamu(aktor=aktor, nama=nama, tujuan=tujuan, keperluan=keperluan, nik=nik,
                          hp=hp, instansi=instansi, waktu=_waktu(waktu, profil.kalender.tz))

    _jalankan(kantor, oleh, buat, as_json)


@tamu_app.command("checkin")
def tamu_checkin(
    nomor: Annotated[str, typer.Argument(
        metavar="NOMOR_ATAU_ISI_QR", help="nomor tamu (TMU-…) atau isi kode QR kartu tamu")],
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Catat kedatangan tamu (check-in) dengan nomor atau isi QR kartu tamunya."""
    def cek(k: Any) -> None:
        bertanda = _QR_BERTANDA.fullmatch(nomor.strip())
        if bertanda is not None:  # a signed pass: its signature must hold
            from bot.receipt import verify_qr

            if all(verify_qr(nomor.strip(), key) is None
                   for key in k.settings.verification_keys()):
                raise tolak("kode QR kartu tamu tidak sah (tanda tangan tidak cocok)")

    _jalankan(kantor, oleh, lambda aktor, _p: CheckinTamu(aktor=aktor, nomor=nomor), as_json,
              cek)


@tamu_app.command("checkout")
def tamu_checkout(
    nomor: Annotated[str, typer.Argument(metavar="NOMOR", help="nomor tamu (TMU-…)")],
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Catat kepulangan tamu (check-out); hanya tamu yang sudah check-in."""
    _jalankan(kantor, oleh, lambda aktor, _p: CheckoutTamu(aktor=aktor, nomor=nomor), as_json)


@tamu_app.command("jawab")
def tamu_jawab(
    nomor: Annotated[str, typer.Argument(metavar="NOMOR", help="nomor tamu (TMU-…)")],
    jawaban: Annotated[str, typer.Option(
        "--jawaban", help="terima, jadwal_ulang atau tolak")],
    waktu: Annotated[str | None, typer.Option(
        "--waktu", help="waktu kunjungan baru (jadwal_ulang), ISO 8601")] = None,
    alasan: Annotated[str | None, typer.Option(
        "--alasan", help="alasan untuk tamu (wajib untuk tolak)")] = None,
    oleh: OlehOpt = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Jawaban tuan rumah atas tamu (seperti tombol di Telegram); tamu diberi tahu di WhatsApp."""
    def buat(aktor: Any, profil: Any) -> JawabTamu:
        return JawabTamu(aktor=aktor, nomor=nomor, jawaban=jawaban,
                         waktu=_waktu(waktu, profil.kalender.tz), alasan=alasan)

    _jalankan(kantor, oleh, buat, as_json, tuan_rumah=nomor)


@tamu_app.command("list")
def tamu_list(
    tanggal: Annotated[str | None, typer.Option(
        "--tanggal", help="tanggal kunjungan YYYY-MM-DD (bawaan: hari ini)")] = None,
    as_json: JsonOpt = False,
    kantor: KantorOpt = None,
) -> None:
    """Daftar tamu satu hari kunjungan, urut waktu."""
    from admin_cli.main import _container, handled

    try:
        hari = date.fromisoformat(tanggal) if tanggal else None
    except ValueError:
        typer.echo("Galat: --tanggal harus YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None
    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        profil = k.profil(kid)
        hari = hari or k.clock.now().astimezone(profil.kalender.tz).date()
        with k.uow(kid) as uow:
            rows = uow.tamu.list(hari)
    if as_json:
        _cetak_json([tamu_json(t, profil.timezone) for t in rows])
        return
    _tabel(k, kid, rows, f"Buku tamu {hari.isoformat()}: {len(rows)} tamu")
