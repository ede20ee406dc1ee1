"""`ptsp-admin` at the counter: walk-ins, the pick-up desk, the complaint log book, queues.

Every command here changes something and takes `--oleh ID` (or PTSP_PETUGAS): the
petugas is checked against the same table as on Telegram (`domain.wewenang`), recorded
in the timeline, and the same notifications follow (the bus's event handlers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

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
from admin_cli.views import pengaduan_show_json, permohonan_json

console = Konsol()
BATAS_BERKAS = 10 * 2**20
JENIS = {b"%PDF": ("application/pdf", "pdf"), b"\xff\xd8\xff": ("image/jpeg", "jpg"),
         b"\x89PNG": ("image/png", "png")}


def _k() -> Any:
    from admin_cli.main import _container, handled

    with handled():
        return _container()


def _print(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _berkas(k: Any, paths: list[Path]) -> tuple[Any, ...]:
    """Files brought to the counter: PDF, JPEG or PNG up to 10 MB, stored by content."""
    from domain.model import Berkas

    out = []
    for path in paths:
        if not path.is_file():
            raise tolak(f"berkas {path} tidak ditemukan")
        data = path.read_bytes()
        if len(data) > BATAS_BERKAS:
            raise tolak(f"berkas {path.name} lebih dari 10 MB")
        jenis = next((v for sig, v in JENIS.items() if data.startswith(sig)), None)
        if jenis is None:
            raise tolak(f"berkas {path.name} bukan PDF, JPEG atau PNG")
        mime, ext = jenis
        sha = k.extras["files"].put(data, ext)
        out.append(Berkas(nama=path.name, mime=mime, bytes=len(data), sha256=sha,
                          diunggah=k.clock.now()))
    return tuple(out)


def _jalankan(k: Any, kid: int, oleh: int | None, aksi: Any, item_of: Any, cmd_of: Any,
              nomor: str = "-") -> Any:
    """Check the petugas, run the command in one transaction (the events notify), commit."""
    from admin_cli.main import handled

    with handled(), k.uow(kid) as uow:
        _, pl = pelaku(k, uow, oleh)
        wajib_boleh(k, aksi, pl, item_of(uow), nomor)
        result = k.bus.handle(cmd_of(pl.aktor), uow)
    return result


def permohonan_ajukan(
    layanan: Annotated[str, typer.Option("--layanan", help="kode layanan (lihat `layanan list`)")],
    nama: Annotated[str, typer.Option("--nama", help="nama pemohon")],
    nik: Annotated[str | None, typer.Option("--nik", help="NIK (16 digit)")] = None,
    hp: Annotated[str | None, typer.Option(
        "--hp", help="nomor HP: pemohon mendapat kabar lewat WhatsApp")] = None,
    atas_nama: Annotated[str | None, typer.Option("--atas-nama", help="bila mewakili")] = None,
    berkas: Annotated[list[Path] | None, typer.Option(
        "--berkas", help="berkas PDF/JPEG/PNG (boleh berulang)")] = None,
    cetak: Annotated[Path | None, typer.Option(
        "--cetak", help="tulis bukti pengajuan (PDF) untuk dicetak")] = None,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Ajukan permohonan pemohon yang datang langsung (walk-in)."""
    from admin_cli.main import handled
    from domain.loket import AjukanDiLoket
    from domain.wewenang import Aksi, ItemKantor

    k = _k()
    kid = pilih_kantor(k, kantor)
    with handled():
        lay = k.katalog_of(kid).resolve(layanan)
    files = _berkas(k, list(berkas or []))
    nomor = _jalankan(k, kid, oleh, Aksi.AJUKAN_LOKET,
                      lambda uow: ItemKantor(kid, meja=str(lay.desk)),
                      lambda aktor: AjukanDiLoket(aktor=aktor, layanan=lay.kode, nama=nama,
                                                  nik=nik, hp=hp, atas_nama=atas_nama,
                                                  berkas=files))
    data = _show(k, kid, nomor)
    if cetak is not None:
        from admin_cli.cetak import bukti_pengajuan

        with handled():
            cetak.write_bytes(bukti_pengajuan(k, kid, data, lay))
    _keluar(data, as_json, f"Permohonan [bold]{nomor}[/] diajukan ({lay.nama}).")


def permohonan_serahkan(
    nomor: Annotated[str, typer.Argument(help="nomor registrasi")],
    diambil_oleh: Annotated[str, typer.Option("--diambil-oleh", help="nama yang mengambil")],
    hubungan: Annotated[str | None, typer.Option(
        "--hubungan", help="hubungan dengan pemohon (mis. suami, kuasa)")] = None,
    identitas: Annotated[str | None, typer.Option(
        "--identitas", help="identitas yang ditunjukkan (mis. KTP 3171…)")] = None,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Catat penyerahan hasil di meja pengambilan (buku pengambilan); pemohon diminta SKM."""
    from domain.identitas import normalize_nomor
    from domain.loket import SerahkanHasil
    from domain.wewenang import Aksi, ItemPermohonan

    k = _k()
    kid = pilih_kantor(k, kantor)
    key = normalize_nomor(nomor) or nomor
    with k.uow(kid) as uow:
        p = uow.permohonan.get(key)
        if p is None:
            raise tolak(f"permohonan {nomor} tidak ditemukan")
        lay = k.katalog_of(kid).resolve(p.layanan)
    audiensi = bool(lay.pilih_pejabat)
    _jalankan(k, kid, oleh, Aksi.TERLAKSANA if audiensi else Aksi.DISERAHKAN,
              lambda uow: ItemPermohonan(uow.permohonan.get(key), meja=str(lay.desk),
                                         audiensi=audiensi, sekarang=k.clock.now()),
              lambda aktor: SerahkanHasil(key, aktor, diambil_oleh, hubungan, identitas), key)
    _keluar(_show(k, kid, key), as_json, f"{key} diserahkan kepada {diambil_oleh}.")


#: Statuses in which the file has not been found complete yet: the bukti pengajuan prints.
BELUM_LENGKAP = ("menunggu", "dikembalikan")
TANPA_TANDA_TERIMA = ("ditolak", "dibatalkan")


def permohonan_cetak(
    nomor: Annotated[str, typer.Argument(help="nomor registrasi")],
    file: Annotated[Path, typer.Argument(help="berkas PDF tujuan")],
    kantor: KantorOpt = None,
) -> None:
    """Cetak untuk pemohon di loket: bukti pengajuan, atau tanda terima setelah berkas lengkap."""
    from admin_cli.cetak import bukti_pengajuan, tanda_terima
    from admin_cli.main import handled
    from bot.receipt import data_tanda_terima, render_tanda_terima
    from domain.identitas import normalize_nomor

    k = _k()
    kid = pilih_kantor(k, kantor)
    key = normalize_nomor(nomor) or nomor.strip()
    with handled():
        with k.uow(kid) as uow:
            p = uow.permohonan.get(key)
            if p is None:
                raise tolak(f"permohonan {nomor} tidak ditemukan")
            if p.status in TANPA_TANDA_TERIMA:
                raise tolak(f"permohonan {p.nomor} berstatus {p.status}; tidak ada tanda terima")
            lengkap = next((r.waktu for r in p.riwayat if r.status not in (
                *BELUM_LENGKAP, *TANPA_TANDA_TERIMA)), None)
            png = None if p.status in BELUM_LENGKAP or lengkap is None else \
                render_tanda_terima(data_tanda_terima(k, uow, p, lengkap),
                                    k.settings.signing_key())
        if png is None:
            isi = bukti_pengajuan(k, kid, _show(k, kid, p.nomor),
                                  k.katalog_of(kid).resolve(p.layanan))
        file.write_bytes(isi if png is None else tanda_terima(png))
    judul = "Bukti pengajuan" if png is None else "Tanda terima"
    console.print(f"{judul} {p.nomor} ditulis ke {file}.")


def pengaduan_catat(
    kanal: Annotated[str, typer.Option(
        "--kanal", help="telepon, langsung, surat, email, kotak_saran, media_sosial, lapor")],
    isi: Annotated[str, typer.Option("--isi", help="uraian pengaduan")],
    nama: Annotated[str | None, typer.Option("--nama", help="nama pelapor")] = None,
    hp: Annotated[str | None, typer.Option("--hp", help="HP pelapor (kabar lewat WA)")] = None,
    anonim: Annotated[bool, typer.Option("--anonim", help="identitas disembunyikan")] = False,
    kategori: Annotated[str, typer.Option(
        "--kategori", help="pengaduan, aspirasi, permintaan_informasi")] = "pengaduan",
    terkait: Annotated[str | None, typer.Option("--terkait", help="nomor permohonan")] = None,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Catat pengaduan dari telepon, tatap muka, surat, email, kotak saran, medsos, LAPOR!."""
    from domain.identitas import normalize_nomor
    from domain.loket import CatatPengaduan
    from domain.wewenang import Aksi, ItemKantor

    k = _k()
    kid = pilih_kantor(k, kantor)
    nomor = _jalankan(k, kid, oleh, Aksi.CATAT_ADUAN, lambda uow: ItemKantor(kid),
                      lambda aktor: CatatPengaduan(
                          aktor=aktor, kanal=kanal, teks=isi, nama=nama, hp=hp, anonim=anonim,
                          kategori=kategori,
                          terkait=(normalize_nomor(terkait) or terkait) if terkait else None))
    data = _aduan(k, kid, nomor, oleh)
    _keluar(data, as_json, f"Pengaduan [bold]{nomor}[/] dicatat (kanal {kanal}).")


def pengaduan_show(nomor: Annotated[str, typer.Argument(help="nomor ADU-…")],
                   oleh: OlehOpt = None, as_json: JsonOpt = False,
                   kantor: KantorOpt = None) -> None:
    """Satu pengaduan dengan kolom buku pengaduan (pelapor anonim hanya untuk koordinator)."""
    from domain.identitas import normalize_nomor

    k = _k()
    kid = pilih_kantor(k, kantor)
    data = _aduan(k, kid, normalize_nomor(nomor) or nomor, oleh)
    if as_json:
        _print(data)
        return
    for key in ("nomor", "diterima", "kanal", "kategori", "tier", "topik", "status",
                "tenggat", "uraian", "penyelesaian", "ditutup"):
        console.print(f"{key}: {data[key] if data[key] is not None else '-'}")
    p = data["pelapor"]
    console.print(f"pelapor: {p['nama']} ({p['hp'] or '-'})" if p else "pelapor: (anonim)")
    for t in data["tindak_lanjut"]:
        console.print(f"  {t['waktu'][:16]} · {t['oleh']} · {t['catatan'] or ''}")


def antrian_ambil(
    loket: Annotated[str, typer.Argument(help="kode loket (mis. A)")],
    nama: Annotated[str | None, typer.Option("--nama", help="nama (tidak ditampilkan)")] = None,
    hp: Annotated[str | None, typer.Option("--hp", help="HP: dipanggil juga lewat WA")] = None,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Ambilkan nomor antrian untuk pengunjung di loket."""
    import secrets

    from domain.antrian import AmbilAntrian
    from domain.identitas import normalize_hp
    from domain.wewenang import Aksi, ItemKantor

    k = _k()
    kid = pilih_kantor(k, kantor)
    nomor_hp = normalize_hp(hp) if hp else None
    if hp and nomor_hp is None:
        raise tolak(f"nomor HP '{hp}' bukan nomor seluler Indonesia yang valid")
    kanal, kanal_id = ("whatsapp", nomor_hp) if nomor_hp else (
        "loket", f"loket:{secrets.token_hex(6)}")
    a = _jalankan(k, kid, oleh, Aksi.ANTRIAN, lambda uow: ItemKantor(kid),
                  lambda aktor: AmbilAntrian(kanal, kanal_id, loket.upper(), oleh=aktor))
    with k.uow(kid) as uow:
        di_depan = sum(1 for x in uow.antrian.hari_ini(a.tanggal, a.loket)
                       if x.status == "menunggu" and x.urut < a.urut)
    data = {"nomor": a.nomor, "loket": a.loket, "status": a.status, "menunggu_di_depan": di_depan}
    _keluar(data, as_json, f"Nomor antrian [bold]{a.nomor}[/]; {di_depan} menunggu di depan.")


def antrian_panggil(loket: Annotated[str, typer.Argument(help="kode loket (mis. A)")],
                    lewati: Annotated[bool, typer.Option(
                        "--lewati", help="nomor yang dipanggil sebelumnya tidak hadir: "
                        "dilewati (bukan selesai dilayani)")] = False,
                    oleh: OlehOpt = None, as_json: JsonOpt = False,
                    kantor: KantorOpt = None) -> None:
    """Panggil nomor antrian berikutnya di loket (antrian kosong: exit 1)."""
    from domain.antrian import PanggilAntrian
    from domain.wewenang import Aksi, ItemKantor

    k = _k()
    kid = pilih_kantor(k, kantor)
    a = _jalankan(k, kid, oleh, Aksi.ANTRIAN, lambda uow: ItemKantor(kid),
                  lambda aktor: PanggilAntrian(aktor, loket.upper(), lewati=lewati))
    if a is None:
        raise tolak(f"tidak ada antrian menunggu di loket {loket.upper()}")
    data = {"nomor": a.nomor, "loket": a.loket, "status": a.status,
            "dipanggil": a.dipanggil_at.isoformat() if a.dipanggil_at else None}
    _keluar(data, as_json, f"[bold]{a.nomor}[/] dipanggil.")


def _show(k: Any, kid: int, nomor: str) -> dict[str, Any]:
    with k.uow(kid) as uow:
        return permohonan_json(uow.permohonan.get(nomor), uow, k.profil(kid).timezone,
                               detail=True)


def _aduan(k: Any, kid: int, nomor: str, oleh: int | None) -> dict[str, Any]:
    """The log book's row; an anonymous reporter only for the koordinator (`--oleh`)."""
    from domain.wewenang import Aksi, boleh

    with k.uow(kid) as uow:
        a = uow.pengaduan.get(nomor)
        if a is None:
            raise tolak(f"pengaduan {nomor} tidak ditemukan")
        lihat = False
        if oleh is not None:
            _, pl = pelaku(k, uow, oleh)
            lihat = boleh(Aksi.ADUAN_PELAPOR, pl, a)
        elif not a.anonim:
            lihat = True
        pemohon = uow.pemohon.get(a.pelapor_id) if a.pelapor_id and lihat else None
        return pengaduan_show_json(a, k.profil(kid).timezone, pemohon)


def _keluar(data: dict[str, Any], as_json: bool, teks: str) -> None:
    if as_json:
        _print(data)
    else:
        console.print(teks)


# -- handling a complaint at the desk: as on Telegram -------------------------------------------

def _aduan_aksi(nomor: str, oleh: int | None, kantor: str | None, aksi: Any,
                cmd_of: Any, as_json: bool, teks: str) -> None:
    """Check the petugas against the table for this complaint, run the command, show it."""
    from domain.identitas import normalize_nomor

    k = _k()
    kid = pilih_kantor(k, kantor)
    key = normalize_nomor(nomor) or nomor
    with k.uow(kid) as uow:
        if uow.pengaduan.get(key) is None:
            raise tolak(f"pengaduan {nomor} tidak ditemukan")
    _jalankan(k, kid, oleh, aksi, lambda uow: uow.pengaduan.get(key),
              lambda aktor: cmd_of(key, aktor), key)
    _keluar(_aduan(k, kid, key, oleh), as_json, teks.format(nomor=key))


def pengaduan_klasifikasi(
    nomor: Annotated[str, typer.Argument(help="nomor ADU-…")],
    tier: Annotated[str, typer.Option(
        "--tier", help="ringan, normatif, tidak_berkadar_pengawasan, berkadar_pengawasan")],
    topik: Annotated[str, typer.Option("--topik", help="topik dari config (mis. sarana)")],
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Klasifikasi pengaduan (tingkat dan topik); pelapor diberi tahu tenggatnya."""
    from domain import commands as c
    from domain.wewenang import Aksi

    _aduan_aksi(nomor, oleh, kantor, Aksi.KLASIFIKASI,
                lambda key, aktor: c.KlasifikasiPengaduan(key, aktor, tier, topik), as_json,
                "{nomor} diklasifikasi.")


def pengaduan_jawab(
    nomor: Annotated[str, typer.Argument(help="nomor ADU-…")],
    teks: Annotated[str, typer.Option("--teks", help="tanggapan untuk pelapor")],
    tutup: Annotated[bool, typer.Option("--tutup", help="sekaligus penyelesaian")] = False,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Tanggapi pengaduan (dengan --tutup: penyelesaiannya); dikirim kepada pelapor."""
    from domain import commands as c
    from domain.wewenang import Aksi

    _aduan_aksi(nomor, oleh, kantor, Aksi.TUTUP if tutup else Aksi.JAWAB,
                lambda key, aktor: c.TanggapiPengaduan(key, aktor, teks, selesai=tutup),
                as_json, "{nomor} ditutup." if tutup else "Tanggapan {nomor} terkirim.")


def pengaduan_teruskan(
    nomor: Annotated[str, typer.Argument(help="nomor ADU-…")],
    ke: Annotated[str, typer.Option("--ke", help="kode jabatan (mis. kabag_tu)")],
    catatan: Annotated[str | None, typer.Option("--catatan", help="catatan")] = None,
    oleh: OlehOpt = None, as_json: JsonOpt = False, kantor: KantorOpt = None,
) -> None:
    """Teruskan pengaduan kepada pejabat (jabatan) yang harus menindaklanjuti."""
    from domain import commands as c
    from domain.wewenang import Aksi

    _aduan_aksi(nomor, oleh, kantor, Aksi.TERUSKAN,
                lambda key, aktor: c.TeruskanPengaduan(key, aktor, ke, catatan), as_json,
                "{nomor} diteruskan.")
