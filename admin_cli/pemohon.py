"""`ptsp-admin pemohon …`: the pemohon's personal data (UU 27/2022) — who asked for
deletion, and carrying it out (koordinator or admin, checked by `domain.wewenang`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from admin_cli.opsi import JsonOpt, KantorOpt, Konsol, OlehOpt, pelaku, pilih_kantor
from admin_cli.views import iso

pemohon_app = typer.Typer(help="Pemohon: daftar, permintaan hapus data, penghapusan data "
                          "pribadi (UU 27/2022).", no_args_is_help=True)
console = Konsol()


def pemohon_json(p: Any, tz: str) -> dict[str, Any]:
    from domain.data_pribadi import samarkan_nik

    return {"id": p.id, "nama": p.nama, "hp": p.hp or None, "nik": samarkan_nik(p.nik),
            "jenis": p.jenis, "instansi": p.instansi,
            "persetujuan": iso(p.persetujuan_at, tz), "hapus_diminta": iso(p.hapus_diminta, tz),
            "dihapus": iso(p.dihapus, tz),
            "notifikasi": "berhenti" if p.notifikasi_berhenti else "aktif"}


def _cetak(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@pemohon_app.command("list")
def pemohon_list(
        hapus_diminta: Annotated[bool, typer.Option(
            "--hapus-diminta", help="hanya yang meminta penghapusan data dan belum dihapus")]
        = False, kantor: KantorOpt = None, as_json: JsonOpt = False) -> None:
    """Daftar pemohon terdaftar (NIK disamarkan)."""
    from admin_cli.main import _container, handled

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        tz = k.profil(kid).timezone
        with k.uow(kid) as uow:
            data = [pemohon_json(p, tz) for p in uow.pemohon.list(hapus_diminta=hapus_diminta)]
    if as_json:
        _cetak(data)
        return
    t = Table("ID", "Nama", "HP", "NIK", "Hapus diminta", "Dihapus",
              title="Permintaan hapus data" if hapus_diminta else "Pemohon")
    for d in data:
        t.add_row(str(d["id"]), d["nama"], d["hp"] or "-", d["nik"],
                  (d["hapus_diminta"] or "-")[:16], (d["dihapus"] or "-")[:16])
    console.print(t)


@pemohon_app.command("hapus")
def pemohon_hapus(pemohon_id: Annotated[int, typer.Argument(help="id pemohon (pemohon list)")],
                  oleh: OlehOpt = None, kantor: KantorOpt = None,
                  as_json: JsonOpt = False) -> None:
    """Hapus data pribadi pemohon (anonimkan); permohonan dan pengaduan tetap diarsipkan.

    Nama, NIK, nomor HP, alamat dan instansi dihapus, nomor chat dilepas, pesan yang belum
    terkirim ditarik; pemohon yang memintanya diberi tahu.
    """
    from admin_cli.main import _container, handled
    from domain.data_pribadi import HapusDataPemohon

    with handled():
        k = _container()
        kid = pilih_kantor(k, kantor)
        with k.uow(kid) as uow:
            _, pl = pelaku(k, uow, oleh)
            p = k.bus.handle(HapusDataPemohon(pemohon_id, pl), uow)
        data = pemohon_json(p, k.profil(kid).timezone)
    if as_json:
        _cetak(data)
    else:
        typer.echo(f"Data pribadi pemohon #{pemohon_id} telah dihapus; arsip permohonan dan "
                   "pengaduannya tetap tersimpan tanpa identitas.")
