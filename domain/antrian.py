"""Queue numbers per loket (`A-007`): taken on WhatsApp during service hours, called by CS."""

from __future__ import annotations

from dataclasses import dataclass

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
    if cmd.kanal == "loket":  # a walk-in's ticket: read at the counter, not messaged
        return a
    uow.outbox.add(cmd.kanal, cmd.kanal_id, {"text": ctx.pesan(
        "antrian_diambil", nomor=a.nomor, loket=profil.loket[cmd.loket], di_depan=di_depan)})
    return a


def panggil_antrian(cmd: PanggilAntrian, uow: AbstractUnitOfWork, ctx: Konteks) -> Antrian | None:
    """The next waiting number of a loket is called; its holder is told on WhatsApp."""
    if cmd.aktor.role not in (Role.CS, Role.KOORDINATOR, Role.ADMIN):
        raise TidakBerwenang("hanya petugas loket (CS) atau koordinator yang memanggil antrian")
    profil = ctx.profil(uow.kantor_id)
    if cmd.loket not in profil.loket:
        raise DataTidakValid(f"loket '{cmd.loket}' tidak ada; pilih {', '.join(profil.loket)}")
    hari = _hari_ini(ctx, uow.kantor_id)
    semua = uow.antrian.hari_ini(hari, cmd.loket)
    for a in semua:
        if a.status == "dipanggil":
            a.status = "selesai"
            uow.antrian.save(a)
    nxt = next((a for a in semua if a.status == "menunggu"), None)
    if nxt is None:
        return None
    nxt.status, nxt.dipanggil_at = "dipanggil", ctx.clock.now()
    uow.antrian.save(nxt)
    if nxt.kanal and nxt.kanal_id and nxt.kanal != "loket":
        uow.outbox.add(nxt.kanal, nxt.kanal_id, {"text": ctx.pesan(
            "antrian_dipanggil", nomor=nxt.nomor, loket=profil.loket[cmd.loket]),
            "kabar": kabar("antrian_dipanggil", nomor=nxt.nomor, loket=profil.loket[cmd.loket])})
    return nxt


ANTRIAN_HANDLERS = {AmbilAntrian: ambil_antrian, PanggilAntrian: panggil_antrian}
