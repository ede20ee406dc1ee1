"""The media guard: where citizens' media may be fetched from (SSRF), and images bounded
in pixels before decoding and closed after use. Downloads run against the fake Twilio on
127.0.0.1, so every "allowed" case names its allowance explicitly."""

from __future__ import annotations

import io
import struct
import zlib

import aiohttp
import pytest
import yaml
from PIL import Image

import bot.media as media
from bot.media import (
    MAX_PIKSEL,
    GambarTerlaluBesar,
    GambarTidakValid,
    MediaDitolak,
    MediaGagalDiunduh,
    MediaGuard,
    MediaTerlaluBesar,
    download_media,
    inspect_media,
    is_twilio_media_host,
    public_address,
)
from tests.e2e.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

AUTH = (ACCOUNT_SID, AUTH_TOKEN)
STRICT = MediaGuard()  # production: Twilio's hosts over HTTPS, public addresses only


@pytest.fixture
async def fake():
    """The fake Twilio's media server on 127.0.0.1."""
    server = await FakeTwilio().start()
    try:
        yield server
    finally:
        await server.close()


async def fetch(url: str, guard: MediaGuard, **kw) -> bytes:
    kw = {"max_bytes": 5_000_000, "backoff": 0.01, "retries": 1, "timeout": 5.0} | kw
    async with aiohttp.ClientSession() as session:
        return await download_media(session, url, auth=AUTH, allowed_auth_hosts={"127.0.0.1"},
                                    guard=guard, **kw)


def loopback(fake, *, allow_private: bool = True, host: str = "127.0.0.1") -> MediaGuard:
    """The fake's host listed, loopback allowed or not: what a test must say out loud."""
    return MediaGuard(extra_hosts=frozenset({f"{host}:{fake.port}"}),
                      allow_private=allow_private)


# -- which URLs ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
    "https://mms.twiliocdn.com/AC1/abc?Expires=1",
    "https://media.twiliocdn.com/AC1/abc",
    "https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/abc",
])
def test_twilio_media_urls_over_https_pass_the_url_check(url):
    STRICT.check_url(url)


@pytest.mark.parametrize("url", [
    "http://api.twilio.com/2010-04-01/Accounts/AC1/Media/ME1",  # not HTTPS
    "https://api.twilio.com.evil.example/x",
    "https://evil.example/api.twilio.com/x",
    "https://twiliocdn.com.evil.example/x",
    "https://s3-external-1.amazonaws.com/bucket-of-anyone/x",
    "https://user:pass@api.twilio.com/x",
    "http://localhost:8080/admin",
    "http://127.0.0.1:5432/",
    "https://127.0.0.1/x",
    "http://169.254.169.254/latest/meta-data/",
    "https://[::1]/x",
    "https://10.0.0.7/x",
    "file:///etc/passwd",
    "ftp://api.twilio.com/x",
    "https:///x",
])
def test_other_urls_are_refused_before_any_connection(url):
    with pytest.raises(MediaDitolak):
        STRICT.check_url(url)


@pytest.mark.parametrize("ip, public", [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("52.4.1.1", True),
    ("127.0.0.1", False), ("127.8.9.10", False), ("::1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False),
    ("fe80::1", False), ("fd00::1", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("224.0.0.1", False),
    ("not-an-ip", False),
])
def test_public_address(ip, public):
    assert public_address(ip) is public


def test_the_twilio_host_rule_is_by_domain_not_by_substring():
    assert is_twilio_media_host("api.twilio.com")
    assert is_twilio_media_host("API.Twilio.com.")
    assert is_twilio_media_host("mms.twiliocdn.com")
    assert not is_twilio_media_host("eviltwilio.com")
    assert not is_twilio_media_host("twilio.com.evil.example")


def test_from_settings_lists_only_what_was_configured(tmp_path):
    from bot.settings import load_settings

    default = MediaGuard.from_settings(load_settings(data_dir=tmp_path))
    assert default == MediaGuard()
    s = load_settings(data_dir=tmp_path, twilio_api_base_url="http://127.0.0.1:8123",
                      media={"extra_hosts": ["Localhost:9000"], "allow_private": False})
    guard = MediaGuard.from_settings(s)
    assert guard.extra_hosts == {"127.0.0.1:8123", "localhost:9000"}
    assert guard.trusted == {"127.0.0.1:8123"} and not guard.allow_private
    guard.check_url("http://127.0.0.1:8123/media/x")  # the API base the operator chose
    with pytest.raises(MediaDitolak):
        guard.check_url("http://127.0.0.1:8124/media/x")  # another port: another service
    assert not guard.address_allowed("127.0.0.1", "localhost", 9000)  # listed, not trusted


# -- downloads through the guard -----------------------------------------------------------

async def test_a_loopback_url_is_refused_without_any_request(fake):
    url = fake.add_media("ktp.jpg", b"\xff\xd8\xff" + b"1" * 100)
    with pytest.raises(MediaDitolak):
        await fetch(url, STRICT)
    with pytest.raises(MediaDitolak):  # listed, but 127.0.0.1 is loopback
        await fetch(url, loopback(fake, allow_private=False))
    assert fake.media_requests == []


async def test_a_name_that_resolves_to_loopback_is_refused_by_the_resolver(fake):
    fake.add_media("ktp.jpg", b"\xff\xd8\xff")
    guard = loopback(fake, allow_private=False, host="localhost")
    url = f"http://localhost:{fake.port}/media/ktp.jpg"
    guard.check_url(url)  # the name itself is listed: only its address is wrong
    with pytest.raises(MediaDitolak) as exc:
        await fetch(url, guard)
    assert "tidak publik" in exc.value.detail
    assert fake.media_requests == []


async def test_a_twilio_name_answered_with_a_private_address_is_refused(monkeypatch):
    """DNS that points a Twilio host at the metadata service: no connection is made."""
    async def rebound(self, host, port=0, family=0):
        return [{"hostname": host, "host": "169.254.169.254", "port": port, "family": 2,
                 "proto": 0, "flags": 0}]

    monkeypatch.setattr(aiohttp.ThreadedResolver, "resolve", rebound)
    monkeypatch.setattr(aiohttp, "DefaultResolver", aiohttp.ThreadedResolver)
    with pytest.raises(MediaDitolak):
        await fetch("https://mms.twiliocdn.com/AC1/foto", STRICT)


async def test_with_an_explicit_allowance_the_fake_is_fetched_with_basic_auth(fake):
    url = fake.add_media("ktp.jpg", b"\xff\xd8\xff" + b"1" * 100)
    assert await fetch(url, loopback(fake)) == b"\xff\xd8\xff" + b"1" * 100
    assert fake.media_requests[-1]["authorized"]


async def test_the_configured_api_base_host_is_trusted(fake, tmp_path):
    from bot.settings import load_settings

    s = load_settings(data_dir=tmp_path, twilio_api_base_url=fake.url)
    url = fake.add_media("akta.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert await fetch(url, MediaGuard.from_settings(s)) == b"%PDF-1.4\n%%EOF\n"


async def test_a_redirect_off_the_allowed_hosts_is_not_followed(fake):
    fake.add_media("akta.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    # 127.0.0.1 → localhost (same server, another name: not listed)
    with pytest.raises(MediaDitolak):
        await fetch(fake.redirect_url("akta.pdf"), loopback(fake))
    assert fake.cdn_requests == []
    for location in ("http://169.254.169.254/latest/meta-data/iam",
                     "http://127.0.0.1:5432/", "file:///etc/passwd",
                     "http://api.twilio.com/downgraded-to-http"):
        url = fake.redirect_to("x", location)
        with pytest.raises(MediaDitolak):
            await fetch(url, loopback(fake))
    assert fake.cdn_requests == []


async def test_a_redirect_between_allowed_hosts_is_followed(fake):
    fake.add_media("akta.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    guard = MediaGuard(extra_hosts=frozenset({f"127.0.0.1:{fake.port}",
                                              f"localhost:{fake.port}"}),
                       allow_private=True)
    assert await fetch(fake.redirect_url("akta.pdf"), guard) == b"%PDF-1.4\n%%EOF\n"
    assert fake.cdn_requests == [{"name": "akta.pdf", "authorization": None}]


async def test_size_cap_and_timeout_hold_with_the_guard(fake):
    fake.add_media("besar.png", b"\x89PNG" + b"0" * 2_000_000, "image/png")
    with pytest.raises(MediaTerlaluBesar):
        await fetch(fake.chunked_url("besar.png"), loopback(fake),
                    max_bytes=500_000)
    fake.add_media("lambat.jpg", b"x")
    fake.media_delay = 2.0  # far beyond the timeout: only the timeout can end it
    with pytest.raises(MediaGagalDiunduh):
        await fetch(fake.media_url("lambat.jpg"), loopback(fake),
                    timeout=0.3, retries=0)


def test_the_refusal_has_its_polite_indonesian_text_in_the_catalog():
    from pathlib import Path

    catalog = yaml.safe_load((Path(__file__).resolve().parents[2] / "pesan.yml")
                             .read_text(encoding="utf-8"))
    text = catalog[MediaDitolak.kunci]
    assert text.startswith("Maaf") and "kirim ulang" in text
    assert MediaDitolak.pesan == text


# -- images: bounded in pixels, closed after use --------------------------------------------

def png_of(width: int, height: int) -> bytes:
    """A valid 1-bit PNG, all black: a few KB on the wire, width×height once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" * (1 + (width + 7) // 8)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


@pytest.fixture
def decodes(monkeypatch):
    """Counts full decodes (`ImageFile.load`) during a test."""
    from PIL import ImageFile

    calls = []
    original = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


def test_a_7000_by_7000_png_is_refused_before_decoding(decodes):
    data = png_of(7000, 7000)
    assert len(data) < 100_000 and 7000 * 7000 > MAX_PIKSEL
    with pytest.raises(GambarTerlaluBesar) as exc:
        inspect_media(data)
    assert decodes == []
    assert isinstance(exc.value, GambarTidakValid)  # the same polite reply as a broken image
    assert exc.value.kunci == "media_gambar_tidak_valid"
    assert (exc.value.width, exc.value.height) == (7000, 7000)


def test_an_image_just_within_the_limit_is_decoded_and_accepted(decodes):
    siap = inspect_media(png_of(4000, 3000))  # a 12 MP phone photo
    assert (siap.width, siap.height) == (4000, 3000)
    assert decodes and set(decodes) == {(4000, 3000)}


def test_every_image_opened_is_closed(monkeypatch):
    from PIL import ImageOps

    opened: list[Image.Image] = []
    real_open, real_transpose = Image.open, ImageOps.exif_transpose

    def spy_open(*a, **kw):
        opened.append(real_open(*a, **kw))
        return opened[-1]

    def spy_transpose(img, **kw):
        opened.append(real_transpose(img, **kw))
        return opened[-1]

    monkeypatch.setattr(media.Image, "open", spy_open)
    monkeypatch.setattr(media.ImageOps, "exif_transpose", spy_transpose)
    plain = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(plain, "JPEG")
    rotated = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: straightened and re-encoded
    Image.new("RGB", (64, 48), "white").save(rotated, "JPEG", exif=exif)
    assert not inspect_media(plain.getvalue()).rotated
    assert inspect_media(rotated.getvalue()).rotated
    assert len(opened) == 3
    for img in opened:
        with pytest.raises(ValueError, match="closed"):
            _ = img.im
