"""`GET /media/{token}` serves stored files by signed, expiring token; `/verifikasi/…`."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image

from bot.media_route import media_routes, media_url, sign_media, verify_media
from bot.receipt import qr_payload
from bot.server import create_app
from storage.files import FileStore
from tests.conftest import make_container

KEY = b"kunci-uji"
SHA = "ab" * 32
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buf, "PNG")
    return buf.getvalue()


# -- tokens ------------------------------------------------------------------------------


def test_a_token_round_trips_until_it_expires():
    token = sign_media(SHA, "PNG", KEY, expires=NOW + timedelta(days=7))
    assert all(ch.isalnum() or ch in "-_." for ch in token)
    assert verify_media(token, KEY, NOW) == (SHA, "png")
    assert verify_media(token, KEY, NOW + timedelta(days=7, seconds=-1)) == (SHA, "png")
    assert verify_media(token, KEY, NOW + timedelta(days=7)) is None
    assert verify_media(token, b"kunci-lain", NOW) is None


@pytest.mark.parametrize("token", ["", ".", "abc", "a" * 40, "!!!." + "0" * 32, "a" * 1000])
def test_malformed_tokens_verify_to_none(token):
    assert verify_media(token, KEY, NOW) is None


def test_signing_refuses_what_we_do_not_serve():
    with pytest.raises(ValueError):
        sign_media("../etc/passwd", "png", KEY, expires=NOW)
    with pytest.raises(ValueError):
        sign_media(SHA, "exe", KEY, expires=NOW)
    with pytest.raises(ValueError):
        sign_media(SHA, "png", KEY, expires=datetime(2026, 11, 24))


def test_media_url_joins_the_public_url():
    url = media_url("https://ptsp.example.go.id/", SHA, "pdf", KEY, now=NOW)
    assert url.startswith("https://ptsp.example.go.id/media/")
    token = url.rsplit("/", 1)[1]
    assert verify_media(token, KEY, NOW + timedelta(days=6)) == (SHA, "pdf")
    assert verify_media(token, KEY, NOW + timedelta(days=7)) is None


# -- the routes ----------------------------------------------------------------------------


@pytest.fixture
def media_container(tmp_path, clock):
    k = make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock)
    k.extras["files"] = FileStore(tmp_path / "data")
    k.extras.setdefault("routes", []).append(media_routes(k))
    yield k
    k.db.dispose()


@pytest.fixture
async def client(aiohttp_client, media_container):
    return await aiohttp_client(create_app(media_container, run_workers=False))


def path_for(k, data: bytes, ext: str) -> str:
    sha = k.extras["files"].put(data, ext)
    url = media_url(k.settings.public_url, sha, ext, k.settings.signing_key(), now=k.clock.now())
    return urlsplit(url).path


@pytest.mark.parametrize(("ext", "data", "ctype"), [
    ("png", png_bytes(), "image/png"),
    ("pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    ("jpg", b"\xff\xd8\xff\xe0 not really", "image/jpeg"),
    ("webp", b"RIFF\x00\x00\x00\x00WEBP", "image/webp"),
])
async def test_a_valid_token_serves_the_bytes_with_their_type(
        client, media_container, ext, data, ctype):
    resp = await client.get(path_for(media_container, data, ext))
    assert resp.status == 200
    assert await resp.read() == data
    assert resp.headers["Content-Type"] == ctype
    assert resp.headers["Cache-Control"] == "private, max-age=3600"


async def test_a_tampered_token_is_404(client, media_container):
    path = path_for(media_container, png_bytes(), "png")
    kode, mac = path.rsplit("/", 1)[1].rsplit(".", 1)
    other = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    assert (await client.get(f"/media/{kode}.{other}")).status == 404
    forged = sign_media("cd" * 32, "png", b"kunci-lain", expires=NOW + timedelta(days=30))
    assert (await client.get(f"/media/{forged}")).status == 404


async def test_an_expired_token_is_404(client, media_container, clock):
    path = path_for(media_container, png_bytes(), "png")
    clock.advance(days=6)
    assert (await client.get(path)).status == 200
    clock.advance(days=2)
    assert (await client.get(path)).status == 404


@pytest.mark.parametrize("token", ["abc", "....", "%00", "a" * 500, "Zm9v.bar"])
async def test_a_malformed_token_is_404(client, token):
    assert (await client.get(f"/media/{token}")).status == 404


async def test_a_missing_file_is_404(client, media_container):
    k = media_container
    url = media_url(k.settings.public_url, "ef" * 32, "png", k.settings.signing_key(),
                    now=k.clock.now())
    assert (await client.get(urlsplit(url).path)).status == 404


async def test_verifikasi_says_genuine_for_our_qr(client, media_container):
    payload = qr_payload("PTSP-261124-0001", media_container.settings.signing_key())
    resp = await client.get(f"/verifikasi/{payload}")
    assert resp.status == 200 and resp.content_type == "text/html"
    text = await resp.text()
    assert "Tanda terima ASLI: PTSP-261124-0001" in text
    assert "Kode tidak valid" not in text


@pytest.mark.parametrize("payload", [
    "PTSP-261124-0001.0123456789abcdef", "sembarang", "<img src=x onerror=alert(1)>.x",
])
async def test_verifikasi_says_invalid_for_anything_else(client, payload):
    text = await (await client.get(f"/verifikasi/{payload}")).text()
    assert "Kode tidak valid" in text
    assert "ASLI" not in text and "PTSP-261124" not in text and "<img" not in text
