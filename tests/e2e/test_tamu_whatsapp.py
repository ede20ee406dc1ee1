"""Buku tamu on WhatsApp: "saya mau bertamu" registers a guest, not a permohonan.

Before, it was sent to reception, and the catalog's Pendataan Tamu filed an ordinary
permohonan with a pick-up receipt.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from storage.tables import OutboxRow

BUDI = "+6281234567890"


async def register(budi) -> None:
    for text in ("saya mau daftar", "1", "Budi Santoso", "3171011708850003", "ya",
                 "Jl. Merdeka No. 1", "setuju"):
        await budi.say(text)


def host_kabag(wa) -> int:
    from domain import commands as c

    with wa.container.uow() as uow:
        p = wa.container.bus.handle(c.TambahPetugas(nama="Pak Kabag", role="pejabat",
                                                    jabatan="kabag_tu"), uow)
    with wa.container.uow() as uow:
        uow.petugas.tautkan(uow.petugas.get(p.id), 700300)
        uow.commit()
    return p.id


async def test_saya_mau_bertamu_registers_a_guest_and_tells_the_host(wa):
    host_kabag(wa)
    budi = wa.citizen(BUDI)
    await register(budi)
    out = await budi.say("saya mau bertamu")
    assert "Siapa yang ingin Anda temui" in out and "Kepala Bagian Tata Usaha" in out
    assert "keperluan" in (await budi.say("kabag tu")).lower()
    assert "Kapan" in await budi.say("Mengantar undangan rapat koordinasi")
    out = await budi.say("sekarang")
    assert "Bertemu: Kepala Bagian Tata Usaha" in out and "Mengantar undangan" in out
    out = await budi.say("ya")
    [nomor] = re.findall(r"TMU-\d{6}-\d{4}", out)
    assert "Tunjukkan nomor ini" in out and "PTSP-" not in out
    with Session(wa.container.db.engine) as s:
        told = s.exec(select(OutboxRow).where(OutboxRow.channel == "telegram")).all()
    assert [t.recipient for t in told] == ["700300"] and nomor in told[0].message["text"]
    with wa.container.uow() as uow:
        assert uow.permohonan.list() == []  # no permohonan was filed


async def test_the_catalogs_pendataan_tamu_starts_the_guest_book(wa):
    budi = wa.citizen(BUDI)
    await register(budi)
    assert (await budi.say("2")).startswith("Layanan apa yang ingin Anda ajukan?")
    out = await budi.say("pendataan tamu")
    assert "Siapa yang ingin Anda temui" in out
    await budi.say("1")
    await budi.say("Silaturahmi dengan pimpinan")
    out = await budi.say("besok jam 10")
    assert "25 November 2026 pukul 10.00" in out
    assert re.search(r"TMU-\d{6}-\d{4}", await budi.say("ya"))


async def test_a_guest_not_registered_yet_registers_first_then_continues(wa):
    budi = wa.citizen(BUDI)
    out = await budi.say("saya mau isi buku tamu")
    assert "Perorangan" in out  # registration first
    for text in ("1", "Budi Santoso", "3171011708850003", "ya", "Jl. Merdeka No. 1"):
        await budi.say(text)
    assert "Siapa yang ingin Anda temui" in await budi.say("setuju")
