"""The official's view in a real browser: headless Debian Chromium driven by selenium, the app
on a real TCP port (sandbox on, no channels). One browser plays the pemohon and three
petugas in turn: an audiensi from the pemohon page to a time and place, every official's
step taken by pressing the page's buttons and typing in its text box."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web
from sqlmodel import Session, select

from bot.app import wire
from bot.sandbox_petugas import SANDBOX_ID_BASE, petugas_routes
from bot.server import create_app
from domain import commands as cmd
from storage.tables import InboxRow, OutboxRow
from tests.conftest import make_container

# the browser, its flags and limits are the pemohon browser test's
from tests.e2e.test_sandbox_browser import (  # noqa: E402
    CHROMEDRIVER,
    CHROMIUM,
    WAIT,
    browser,  # noqa: F401 - the shared headless Chromium fixture
)

NOMOR = "PTSP-261124-0001"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists() or not CHROMEDRIVER.exists(), reason=(
        f"{CHROMIUM} or {CHROMEDRIVER} missing: install Debian's chromium and chromium-driver "
        "(`make sysdeps` as root, or `apt-get install -y chromium chromium-driver`)")),
]

PDF = b"%PDF-1.4\n1 0 obj<</Title (Surat permohonan audiensi)>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
async def site(tmp_path, clock, nlu_parser):
    """The app with both sandbox views on 127.0.0.1 at a free port; three petugas exist."""
    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            sandbox="on"), nlu=nlu_parser)
    assert c.settings.sandbox_enabled and not c.settings.telegram_enabled
    c.extras["routes"].append(petugas_routes(c))
    ids = {}
    with c.uow() as uow:
        for key, nama, role, jabatan, tugas in [
                ("cs", "Ani Rahmawati", "cs", None, ("layanan",)),
                ("kakanwil", "H. Ahmad Kakanwil", "pejabat", "kakanwil", ()),
                ("kabag", "Drs. Budi Kabag", "pejabat", "kabag_tu", ())]:
            ids[key] = c.bus.handle(cmd.TambahPetugas(nama=nama, role=role, jabatan=jabatan,
                                                      tugas=tugas), uow, commit=False).id
        uow.commit()
    runner = web.AppRunner(create_app(c), access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield c, f"http://127.0.0.1:{port}/", ids
    finally:
        await runner.cleanup()


class Browser:
    """Both pages in one browser; every blocking selenium call runs off the event loop."""

    def __init__(self, driver, url: str):
        from selenium.webdriver.common.by import By

        self.d, self.by, self.url = driver, By, url

    def _texts(self, css: str) -> list[str]:
        # in one script: a message edited in place re-renders its elements
        return self.d.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", css)

    def _wait(self, css: str, expect: str, before: int, doing: str) -> str:
        from selenium.webdriver.support.ui import WebDriverWait

        def shown(_):  # noqa: ANN001, ANN202 - selenium's wait condition
            hits = [t for t in self._texts(css) if expect in t]
            return hits[-1] if len(hits) > before else False

        try:
            return WebDriverWait(self.d, WAIT, poll_frequency=0.1).until(shown)
        except Exception as exc:
            raise AssertionError(
                f"{doing}: nothing with {expect!r} appeared; the page shows "
                f"{self._texts(css)[-4:]!r}, error {self._texts('#err')!r}") from exc

    def _act(self, css: str, expect: str, doing: str, action) -> str:  # noqa: ANN001
        before = len([t for t in self._texts(css) if expect in t])
        action()
        return self._wait(css, expect, before, doing)

    # -- the pemohon page --------------------------------------------------------------

    def _pemohon(self, text: str | None, expect: str, upload: Path | None = None) -> str:
        def send():  # noqa: ANN202
            if upload is not None:
                self.d.find_element(self.by.ID, "file").send_keys(str(upload))
            if text:
                self.d.find_element(self.by.ID, "text").send_keys(text)
            self.d.find_element(self.by.ID, "kirim").click()
        return self._act("#log .m.out", expect, f"pemohon says {text!r}", send)

    # -- the petugas page --------------------------------------------------------------

    def _masuk(self, pid: int, expect: str) -> str:
        self.d.get(self.url + "petugas")
        assert self.d.title == "PTSP — Sandbox petugas (Telegram)"
        self.d.find_element(self.by.ID, f"masuk-{pid}").click()
        return self._wait("#log .m.out .t", expect, 0, f"masuk as petugas {pid}")

    def _tekan(self, label: str, expect: str) -> str:
        from selenium.common.exceptions import StaleElementReferenceException

        def press():  # noqa: ANN202 - the latest button with that label, found afresh
            for _ in range(5):
                buttons = [b for b in self.d.find_elements(
                    self.by.CSS_SELECTOR, "#log .m.out .kb button") if b.text == label]
                assert buttons, f"no button {label!r}; page shows {self._texts('#log .m')[-3:]}"
                try:
                    buttons[-1].click()
                    return
                except StaleElementReferenceException:
                    continue
            raise AssertionError(f"button {label!r} kept being re-rendered")
        return self._act("#log .m.out .t", expect, f"press {label!r}", press)

    def _ketik(self, text: str, expect: str) -> str:
        def send():  # noqa: ANN202
            self.d.find_element(self.by.ID, "text").send_keys(text)
            self.d.find_element(self.by.ID, "kirim").click()
        return self._act("#log .m.out .t", expect, f"type {text!r}", send)

    async def pemohon(self, text: str | None, expect: str, *, upload: Path | None = None
                      ) -> str:
        """On the pemohon page: type (and/or attach), Kirim, wait for a reply with `expect`."""
        return await asyncio.to_thread(self._pemohon, text, expect, upload)

    async def masuk(self, pid: int, expect: str) -> str:
        """Open /petugas, press "Masuk sebagai …", wait until `expect` shows in the chat."""
        return await asyncio.to_thread(self._masuk, pid, expect)

    async def tekan(self, label: str, expect: str) -> str:
        """Press the latest inline button `label`; wait for a new message with `expect`."""
        return await asyncio.to_thread(self._tekan, label, expect)

    async def ketik(self, text: str, expect: str) -> str:
        """Type an answer and press Kirim; wait for a new message with `expect`."""
        return await asyncio.to_thread(self._ketik, text, expect)

    async def run(self, fn, *args):  # noqa: ANN001, ANN201
        return await asyncio.to_thread(fn, *args)


async def test_an_audiensi_from_the_pemohon_page_through_three_officials(
        site, browser, tmp_path):  # noqa: F811 - the imported fixture, by name
    c, url, ids = site
    b = Browser(browser, url)
    # the three officials open the sandbox once: linked through /start
    for key in ("cs", "kakanwil", "kabag"):
        out = await b.masuk(ids[key], "Selamat datang")
        assert "terhubung" in out
    with c.uow() as uow:
        assert {uow.petugas.get(i).telegram_user_id for i in ids.values()} == {
            SANDBOX_ID_BASE + i for i in ids.values()}

    await b.run(browser.get, url)
    for text, expect in [
            ("daftar", "1. Perorangan"), ("1", "nama lengkap"), ("Budi Santoso", "NIK"),
            ("3171011708850003", "+6281234567890"), ("ya", "alamat"),
            ("Jl. Merdeka No. 1, Jakarta Pusat", "SETUJU"), ("setuju", "tersimpan"),
            ("sy mau audiensi dengan kakanwil", "untuk siapa"),
            ("1", "tujuan/keperluan audiensi"),
            ("Koordinasi kegiatan MTQ tingkat provinsi", "Kapan waktu"),
            ("besok jam 10", "Kirim dokumen")]:
        await b.pemohon(text, expect)
    letter = tmp_path / "surat-audiensi.pdf"
    letter.write_bytes(PDF)
    await b.pemohon(None, "File diterima (1 file)", upload=letter)
    await b.pemohon("selesai", "Ringkasan permohonan")
    out = await b.pemohon("ya", "Bukti Pengajuan")
    assert NOMOR in out

    # the CS: the prompt is in the chat already; "Lengkap" closes it in place
    prompt = await b.masuk(ids["cs"], "Permohonan baru")
    assert NOMOR in prompt
    await b.tekan("Lengkap", f"Berkas lengkap untuk {NOMOR} tersimpan")
    edited = await b.run(b._texts, "#log .m.out.edited")
    assert edited and "✅" in edited[0] and "Lengkap" not in edited[0].split("✅")[1]

    # the kakanwil disposes to the kabag TU
    await b.masuk(ids["kakanwil"], "menunggu konfirmasi")
    await b.tekan("Disposisi", f"Disposisikan {NOMOR} kepada")
    await b.tekan("Kepala Bagian Tata Usaha", f"Instruksi disposisi {NOMOR}")
    await b.tekan("Proses lebih lanjut", f"Catatan disposisi untuk {NOMOR}")
    await b.ketik("-", "Periksa sebelum dikirim")
    await b.tekan("Kirim", f"Disposisi untuk {NOMOR} tersimpan")

    # the kabag TU schedules it, answering the ForceReply question
    await b.masuk(ids["kabag"], "Disposisi untuk Anda")
    await b.tekan("Jadwalkan", f"Tulis jadwal audiensi {NOMOR}")
    balas = await b.run(lambda: browser.find_element(b.by.ID, "balasinfo").is_displayed())
    assert balas  # the question is selected as the message replied to, as on Telegram
    out = await b.ketik("27/11/2026 pukul 10.00 di Ruang Rapat Lt. 2", "Periksa sebelum dikirim")
    assert "Ruang Rapat Lt. 2" in out
    await b.tekan("Kirim", f"Jadwalkan audiensi untuk {NOMOR} tersimpan")

    # the pemohon sees the time and place
    await b.run(browser.get, url)
    out = await b.run(b._wait, "#log .m.out", "Jadwal audiensi", 0, "pemohon page")
    assert "Ruang Rapat Lt. 2" in out and "27 November 2026 pukul 10.00" in out
    with c.uow() as uow:
        p = uow.permohonan.get(NOMOR)
    assert p.status == "selesai" and p.data["jadwal"]["tempat"] == "Ruang Rapat Lt. 2"
    with Session(c.db.engine) as s:  # nothing was refused, nothing failed on the way
        rows = [*s.exec(select(InboxRow)), *s.exec(select(OutboxRow))]
    assert [r.id for r in rows if r.status == "failed"] == []
    assert not [r.message for r in rows if isinstance(r, OutboxRow)
                and "Tidak dapat diproses" in r.message.get("text", "")]
