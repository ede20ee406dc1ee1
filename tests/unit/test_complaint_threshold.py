"""Seed 002: the fifth complaint on one topic in a calendar month alerts the koordinator."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from domain import commands as c
from domain import events as e
from domain.model import Aktor

WIB = ZoneInfo("Asia/Jakarta")
CS = Aktor(jenis="petugas", nama="Ani", id=1, role="cs")


def test_the_fifth_classification_on_a_topic_in_a_month_raises_the_event_once(
        sqlite_container, clock):
    k = sqlite_container
    with k.uow() as uow:
        pid = k.bus.handle(c.DaftarPemohon(kanal="sandbox", kanal_id="+6281234567890",
                                           nama="Budi", hp="081234567890", persetujuan=True),
                           uow).id
    nomor = []
    for i in range(7):
        with k.uow() as uow:
            nomor.append(k.bus.handle(c.AjukanPengaduan(
                kategori="pengaduan", teks=f"Pelayanan lambat sekali nomor {i}",
                pelapor_id=pid), uow))
    seen: list[e.AmbangTopikTercapai] = []
    k.bus.event_handlers.setdefault(e.AmbangTopikTercapai, []).append(
        lambda ev, uow, ctx: seen.append(ev))
    for i, n in enumerate(nomor):
        with k.uow() as uow:
            k.bus.handle(c.KlasifikasiPengaduan(n, CS, "normatif", "pelayanan_lambat"), uow)
        assert len(seen) == (1 if i >= 4 else 0), i
    assert seen[0].jumlah == 5 and seen[0].bulan == "2026-11"
    # re-classifying one with the same topic does not count again
    with k.uow() as uow:
        k.bus.handle(c.KlasifikasiPengaduan(nomor[0], CS, "ringan", "pelayanan_lambat"), uow)
    assert len(seen) == 1
