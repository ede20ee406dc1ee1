"""Antrian at the desk end to end: three WhatsApp citizens and one walk-in queue at one
loket and are called in order from Telegram; the holders hear their number with the
estimated wait, a warning when three numbers are left, the call; a no-show is skipped
(not before the configured minutes) and told so.

Before, nobody was warned before their turn, no wait was estimated, and a number whose
holder never came was recorded as served.
"""

from __future__ import annotations

from typer.testing import CliRunner

from tests.e2e.officials_harness import (
    fake_bot_api,  # noqa: F401 - a fixture, used by name
)

CS = 7500001
WARGA = ["+6281234567801", "+6281234567802", "+6281234567803", "+6281234567804",
         "+6281234567805"]
runner = CliRunner()


def walk_in(desk, oleh: int) -> dict:
    return desk.json("antrian", "ambil", "A", "--nama", "Pak Walk-in", "--oleh", str(oleh))


async def ambil(office, phone: str) -> str:
    c = office.citizen(phone)
    await c.say("antrian")
    return await c.say("1")


async def test_five_in_line_are_warned_called_in_order_and_a_no_show_is_skipped(
        office, desk, clock):
    cs = await office.hire(CS, "Ani Lestari", "cs", tugas=("layanan",))
    with office.container.uow() as uow:
        cs_id = uow.petugas.by_telegram(CS).id
    first = await ambil(office, WARGA[0])
    assert "A-001" in first and "Perkiraan" not in first  # nothing to estimate from yet
    assert "A-002" in await ambil(office, WARGA[1])
    assert walk_in(desk, cs_id)["nomor"] == "A-003"
    assert "A-004" in await ambil(office, WARGA[2])
    assert "A-005" in await ambil(office, WARGA[3])
    for p in WARGA[:4]:
        office.wa.take(p)

    out = await cs.say("/panggil A")
    assert any("A-001" in t for t in out)
    assert any("A-001" in t and "dipanggil" in t for t in office.wa.take(WARGA[0]))
    # A-004 has three numbers before it (A-001 at the desk, A-002, the walk-in's A-003)
    warned = office.wa.take(WARGA[2])
    assert any("A-004" in t and "tinggal 3 nomor" in t for t in warned), warned
    clock.advance(minutes=4)
    await cs.say("/panggil A")
    assert any("A-002" in t and "dipanggil" in t for t in office.wa.take(WARGA[1]))
    warned = office.wa.take(WARGA[3])  # now A-005; 4 minutes a number, three before it
    assert any("A-005" in t and "tinggal 3 nomor" in t and "±12 menit" in t for t in warned), \
        warned
    assert not office.wa.take(WARGA[2])  # A-004 is not warned twice

    # A-002 does not come: too early to skip, then skipped and told
    clock.advance(minutes=1)
    refused = "\n".join(await cs.say("/panggil A lewati"))
    assert "baru dipanggil 1 menit" in refused
    clock.advance(minutes=3)
    out = "\n".join(await cs.say("/panggil A lewati"))
    assert "A-003" in out  # the walk-in's number is called next (read at the desk)
    assert any("A-002" in t and "dilewati" in t for t in office.wa.take(WARGA[1]))
    later = await ambil(office, WARGA[4])
    assert "A-006" in later and "Perkiraan menunggu" in later
    clock.advance(minutes=4)
    await cs.say("/panggil A")
    assert any("A-004" in t and "dipanggil" in t for t in office.wa.take(WARGA[2]))
    with office.container.uow() as uow:
        status = {a.nomor: a.status for a in uow.antrian.hari_ini(clock.now().date(), "A")}
    assert status == {"A-001": "selesai", "A-002": "dilewati", "A-003": "selesai",
                      "A-004": "dipanggil", "A-005": "menunggu", "A-006": "menunggu"}
    await office.assert_clean()
