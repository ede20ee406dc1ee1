"""The sandbox page in a real browser: headless Debian Chromium driven by selenium chats
with the app served on a real TCP port (sandbox on, no channels), from the greeting to a
bukti pengajuan with its nomor registrasi, uploading a PDF through the page's file input."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import wire
from bot.server import create_app
from tests.conftest import make_container

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-dev-shm-usage"]
WAIT = 20  # seconds for one reply to show up in the page (it polls every 0.5 s)

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists() or not CHROMEDRIVER.exists(), reason=(
        f"{CHROMIUM} or {CHROMEDRIVER} missing: install Debian's chromium and chromium-driver "
        "(`make sysdeps` as root, or `apt-get install -y chromium chromium-driver`)")),
]

PDF = b"%PDF-1.4\n1 0 obj<</Title (Undangan narasumber)>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
async def site(tmp_path, clock, nlu_parser):
    """The app with the sandbox, listening on 127.0.0.1 at a free port, workers running."""
    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            sandbox="on"), nlu=nlu_parser)
    assert c.settings.sandbox_enabled and not c.settings.twilio_enabled
    runner = web.AppRunner(create_app(c), access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield c, f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium not installed (pip install 'selenium>=4.20')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


class Page:
    """The pemohon's chat page; every blocking selenium call runs off the event loop."""

    def __init__(self, driver):
        from selenium.webdriver.common.by import By

        self.d, self.by = driver, By

    def _outgoing(self) -> list[str]:
        return [e.text for e in self.d.find_elements(self.by.CSS_SELECTOR, "#log .m.out")]

    def _say(self, text: str | None, upload: Path | None, expect: str) -> str:
        from selenium.webdriver.support.ui import WebDriverWait

        before = len(self._outgoing())
        if upload is not None:
            self.d.find_element(self.by.ID, "file").send_keys(str(upload))
        if text:
            self.d.find_element(self.by.ID, "text").send_keys(text)
        self.d.find_element(self.by.ID, "kirim").click()

        def answered(_):  # noqa: ANN001, ANN202 - selenium's wait condition
            new = self._outgoing()[before:]
            return "\n---\n".join(new) if any(expect in t for t in new) else False

        try:
            out = WebDriverWait(self.d, WAIT, poll_frequency=0.1).until(answered)
        except Exception as exc:
            raise AssertionError(f"no reply containing {expect!r} to {text!r}; page shows "
                                 f"{self._outgoing()[before:]!r}, error "
                                 f"{self.d.find_element(self.by.ID, 'err').text!r}") from exc
        assert self.d.find_element(self.by.ID, "err").text == ""
        return out

    async def say(self, text: str | None, expect: str, *, upload: Path | None = None) -> str:
        """Type (and/or attach), press Kirim, wait until a reply containing `expect` shows."""
        return await asyncio.to_thread(self._say, text, upload, expect)

    async def open(self, url: str) -> None:
        await asyncio.to_thread(self.d.get, url)

    async def incoming(self) -> list[str]:
        return await asyncio.to_thread(lambda: [
            e.text for e in self.d.find_elements(self.by.CSS_SELECTOR, "#log .m.in")])


async def test_a_pemohon_chats_in_the_browser_from_greeting_to_nomor_registrasi(
        site, browser, tmp_path):
    c, url = site
    page = Page(browser)
    await page.open(url)
    assert browser.title == "PTSP — Sandbox WhatsApp"

    out = await page.say("halo", "1. Informasi layanan & persyaratan")
    assert "Selamat pagi" in out
    await page.say("2", "Layanan apa yang ingin Anda ajukan?")
    await page.say("narasumber", "mendaftarkan data Anda")
    await page.say("1", "nama lengkap")
    await page.say("Budi Santoso", "NIK")
    await page.say("3171011708850003", "+6281234567890")
    await page.say("ya", "alamat")
    await page.say("Jl. Merdeka No. 1, Jakarta Pusat", "SETUJU")
    out = await page.say("setuju", "Permohonan Narasumber/Rohaniwan ini untuk siapa")
    assert "Data Anda sudah tersimpan" in out
    await page.say("1", "Kirim dokumen")

    letter = tmp_path / "undangan.pdf"
    letter.write_bytes(PDF)
    await page.say(None, "File diterima (1 file)", upload=letter)
    out = await page.say("selesai", "Ringkasan permohonan")
    assert "Lampiran: 1 file" in out
    out = await page.say("ya", "Bukti Pengajuan Permohonan")
    assert "Nomor registrasi: *PTSP-261124-0001*" in out
    assert "Layanan: Permohonan Narasumber/Rohaniwan" in out

    assert await page.incoming() == [
        "halo", "2", "narasumber", "1", "Budi Santoso", "3171011708850003", "ya",
        "Jl. Merdeka No. 1, Jakarta Pusat", "setuju", "1", "[file]", "selesai", "ya"]
    with c.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p is not None and p.layanan == "narasumber"
    [berkas] = p.berkas
    assert berkas.mime == "application/pdf" and berkas.bytes == len(PDF)
