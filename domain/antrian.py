"""Queue numbers per loket (`A-007`): taken on WhatsApp or at the desk, called by the CS.

A WhatsApp holder hears their number, the estimated wait (from the day's recent calls),
a warning when `antrian_peringatan_sisa` numbers are left before theirs, and the call. A
called number whose holder does not come is skipped (`lewati`) — not before
`antrian_tunggu_hadir_menit` minutes after its call — and its holder is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.errors import DataTidakValid, SyaratTidakTerpenuhi, TidakBerwenang
from domain.konteks import Konteks, fmt_waktu, kabar
from domain.model import Aktor, Antrian, Role
from domain.ports import AbstractUnitOfWork


@dataclass(frozen=True)
class AmbilAntrian:
    kanal: str
    kanal_id: str
    loket: str
    oleh: Aktor | None = None  # issued by a petugas at the desk (who is there: no hours check)


@dataclass(frozen=True)
class PanggilAntrian:
    aktor: Aktor
    loket: str
    lewati: bool = False  # the number called before did not come: skipped, not served


def menit_per_nomor(semua: Iterable[Antrian]) -> int | None:
    """Minutes per number at a loket today, from its last calls (None: too few yet)."""
    waktu = sorted(a.dipanggil_at for a in semua if a.dipanggil_at is not None)[-6:]
    if len(waktu) < 2:
        return None
    return max(1, round((waktu[-1] - waktu[0]).total_seconds() / 60 / (len(waktu) - 1)))


def _perkiraan(ctx: Konteks, semua: list[Antrian], di_depan: int) -> str:
    """" Perkiraan menunggu ±N menit." when the day's calls tell, else nothing."""
    per = menit_per_nomor(semua)
    if per is None:
        return ""
    dilayani = any(a.status == "dipanggil" for a in semua)
    return " " + ctx.pesan("antrian_perkiraan", menit=per * (di_depan + dilayani)).strip()


def _kabari(uow: AbstractUnitOfWork, a: Antrian, text: str) -> None:
    if a.kanal and a.kanal_id and a.kanal != "loket":  # a walk-in's ticket is read, not sent
        uow.outbox.add(a.kanal, a.kanal_id, {"text": text})


def _hari_ini(ctx: Konteks, kantor_id: int):  # noqa: ANN202 - a date
    return ctx.clock.now().astimezone(ctx.profil(kantor_id).kalender.tz).date()


def ambil_antrian(cmd: AmbilAntrian, uow: AbstractUnitOfWork, ctx: Konteks) -> Antrian:
    """A number for today at a loket; the same sender keeps their waiting number."""
    profil = ctx.profil(uow.kantor_id)
    if cmd.loket not in profil.loket:
        raise DataTidakValid(f"loket '{cmd.loket}' tidak ada")
    now = ctx.clock.now()
    if cmd.oleh is None and not profil.kalender.is_open(now):
        raise SyaratTidakTerpenuhi(ctx.pesan(
            "antrian_tutup", buka=fmt_waktu(profil.kalender.next_open(now), profil.timezone)))
    hari = _hari_ini(ctx, uow.kantor_id)
    semua = uow.antrian.hari_ini(hari, cmd.loket)
    mine = [a for a in semua if a.kanal_id == cmd.kanal_id and a.status == "menunggu"]
    a = mine[0] if mine else uow.antrian.add(Antrian(
        kantor_id=uow.kantor_id, loket=cmd.loket, tanggal=hari, kanal=cmd.kanal,
        kanal_id=cmd.kanal_id,
        urut=uow.sequences.next(f"ANT-{uow.kantor_id}-{cmd.loket}-{hari:%y%m%d}")))
    di_depan = sum(1 for x in semua if x.status == "menunggu" and x.urut < a.urut)
    _kabari(uow, a, ctx.pesan("antrian_diambil", nomor=a.nomor, loket=profil.loket[cmd.loket],
                              di_depan=di_depan).rstrip() + _perkiraan(ctx, semua, di_depan))
    return a


def panggil_antrian(cmd: PanggilAntrian, uow: AbstractUnitOfWork, ctx: Konteks) -> Antrian | None:
    """The next waiting number of a loket is called; its holder is told on WhatsApp."""
    if cmd.aktor.role not in (Role.CS, Role.KOORDINATOR, Role.ADMIN):
        raise TidakBerwenang("hanya petugas loket (CS) atau koordinator yang memanggil antrian")
    profil = ctx.profil(uow.kantor_id)
    if cmd.loket not in profil.loket:
        raise DataTidakValid(f"loket '{cmd.loket}' tidak ada; pilih {', '.join(profil.loket)}")
    hari = _hari_ini(ctx, uow.kantor_id)
    now = ctx.clock.now()
    nama = profil.loket[cmd.loket]
    semua = uow.antrian.hari_ini(hari, cmd.loket)
    dipanggil = [a for a in semua if a.status == "dipanggil"]
    if cmd.lewati:
        _lewati(ctx, uow, dipanggil, now, nama)
    for a in dipanggil:
        if a.status == "dipanggil":
            a.status = "selesai"
            uow.antrian.save(a)
    menunggu = [a for a in semua if a.status == "menunggu"]
    if not menunggu:
        return None
    nxt = menunggu[0]
    nxt.status, nxt.dipanggil_at = "dipanggil", now
    uow.antrian.save(nxt)
    if nxt.kanal and nxt.kanal_id and nxt.kanal != "loket":
        uow.outbox.add(nxt.kanal, nxt.kanal_id, {"text": ctx.pesan(
            "antrian_dipanggil", nomor=nxt.nomor, loket=nama),
            "kabar": kabar("antrian_dipanggil", nomor=nxt.nomor, loket=nama)})
    sisa = ctx.antrian_peringatan_sisa
    if len(menunggu) > sisa:  # `sisa` numbers before it now, the one just called included
        _kabari(uow, menunggu[sisa], ctx.pesan(
            "antrian_hampir", nomor=menunggu[sisa].nomor, sisa=sisa, loket=nama).rstrip()
            + _perkiraan(ctx, semua, sisa - 1))
    return nxt


def _lewati(ctx: Konteks, uow: AbstractUnitOfWork, dipanggil: list[Antrian], now: datetime,
            loket: str) -> None:
    """The called number did not come: skipped (once its waiting time is over), told so."""
    if not dipanggil:
        raise SyaratTidakTerpenuhi("tidak ada nomor yang sedang dipanggil untuk dilewati")
    tunggu = ctx.antrian_tunggu_hadir_menit
    for a in dipanggil:
        menit = (now - a.dipanggil_at).total_seconds() / 60 if a.dipanggil_at else tunggu
        if menit < tunggu:
            raise SyaratTidakTerpenuhi(
                f"{a.nomor} baru dipanggil {int(menit)} menit lalu; dapat dilewati setelah "
                f"{tunggu} menit")
        a.status = "dilewati"
        uow.antrian.save(a)
        _kabari(uow, a, ctx.pesan("antrian_dilewati", nomor=a.nomor, loket=loket))


ANTRIAN_HANDLERS = {AmbilAntrian: ambil_antrian, PanggilAntrian: panggil_antrian}
