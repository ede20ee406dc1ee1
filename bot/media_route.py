"""`GET /media/{token}`: the files we send (receipts, passes) by signed, expiring token.

Twilio fetches a WhatsApp media message from a public URL, so the URL itself is the
credential: `sign_media` packs the file's digest, extension and expiry into an opaque
token with an HMAC under the deployment's signing key. Any token that is tampered,
malformed, expired or names a missing file gets the same 404, so a prober learns
nothing. `GET /verifikasi/{payload}` tells a clerk whether a scanned receipt QR is
genuine, showing only the nomor registrasi.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.receipt import verify_qr
from storage.files import FileStore

__all__ = ["CONTENT_TYPES", "media_routes", "media_url", "sign_media", "verify_media"]

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "webp": "image/webp", "pdf": "application/pdf"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EXP = re.compile(r"^[0-9]{1,12}$")
_MAC_LEN = 32
_MAKS_TOKEN = 300


def _mac(isi: str, key: bytes) -> str:
    return hmac.new(key, b"media:" + isi.encode("ascii"), hashlib.sha256).hexdigest()[:_MAC_LEN]


def sign_media(sha256: str, ext: str, key: bytes, *, expires: datetime) -> str:
    """An opaque, URL-safe token for one stored file, valid until `expires`.

    Args:
        sha256: the file's digest as FileStore names it.
        ext: its extension (png, jpg, jpeg, webp or pdf).
        key: the deployment's signing key.
        expires: a timezone-aware moment after which the token is refused.

    Raises:
        ValueError: a bad digest, an extension we do not serve, or a naive datetime.
    """
    ext = ext.lower().lstrip(".")
    if not _SHA256.match(sha256) or ext not in CONTENT_TYPES:
        raise ValueError(f"tidak dapat menandatangani berkas {sha256!r}.{ext!r}")
    if expires.tzinfo is None:
        raise ValueError("expires harus memiliki zona waktu")
    isi = f"{sha256}.{ext}.{int(expires.timestamp())}"
    kode = base64.urlsafe_b64encode(isi.encode("ascii")).decode("ascii").rstrip("=")
    return f"{kode}.{_mac(isi, key)}"


def verify_media(token: str, key: bytes, now: datetime) -> tuple[str, str] | None:
    """`(sha256, ext)` for a genuine, unexpired token; None for anything else."""
    if not isinstance(token, str) or len(token) > _MAKS_TOKEN:
        return None
    kode, titik, mac = token.rpartition(".")
    if not titik or len(mac) != _MAC_LEN:
        return None
    try:
        isi = base64.urlsafe_b64decode(kode + "=" * (-len(kode) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    if base64.urlsafe_b64encode(isi.encode("ascii")).decode("ascii").rstrip("=") != kode:
        return None  # only the canonical encoding is accepted
    if not hmac.compare_digest(mac.encode("ascii", "replace"), _mac(isi, key).encode("ascii")):
        return None
    bagian = isi.split(".")
    if len(bagian) != 3:
        return None
    sha256, ext, exp = bagian
    if not _SHA256.match(sha256) or ext not in CONTENT_TYPES or not _EXP.match(exp):
        return None
    if now.timestamp() >= int(exp):
        return None
    return sha256, ext


def media_url(public_url: str, sha256: str, ext: str, key: bytes, *, now: datetime,
              ttl: timedelta = timedelta(days=7)) -> str:
    """The public link Twilio (or a browser) fetches the file from, valid for `ttl`."""
    token = sign_media(sha256, ext, key, expires=now + ttl)
    return f"{public_url.rstrip('/')}/media/{token}"


_HALAMAN = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Verifikasi tanda terima</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:2em auto;padding:0 1em">
<h1>Verifikasi tanda terima</h1><p style="font-size:1.4em;color:{warna}">{pesan}</p>
<p>{keterangan}</p></body></html>"""


def media_routes(container: Any) -> Callable[[web.Application], None]:
    """A route adder for `container.extras["routes"]`: `/media/{token}`, `/verifikasi/{payload}`.

    The file store is `container.extras["files"]`, else a FileStore on `settings.data_dir`.
    """

    def store() -> FileStore:
        files = container.extras.get("files")
        return files if files is not None else FileStore(container.settings.data_dir)

    async def media(request: web.Request) -> web.Response:
        found = next((f for key in container.settings.verification_keys()
                      if (f := verify_media(request.match_info["token"], key,
                                            container.clock.now())) is not None), None)
        if found is None:
            raise web.HTTPNotFound()
        sha256, ext = found
        try:
            data = await asyncio.to_thread(store().get, sha256, ext)
        except (FileNotFoundError, ValueError):
            raise web.HTTPNotFound() from None
        return web.Response(body=data, headers={
            "Content-Type": CONTENT_TYPES[ext],
            "Cache-Control": "private, max-age=3600",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'inline; filename="{sha256[:16]}.{ext}"',
        })

    async def verifikasi(request: web.Request) -> web.Response:
        nomor = next((n for key in container.settings.verification_keys()
                      if (n := verify_qr(request.match_info["payload"], key)) is not None), None)
        if nomor is not None:
            body = _HALAMAN.format(
                warna="#006838", pesan=f"Tanda terima ASLI: {html.escape(nomor)}",
                keterangan="Kode QR ini diterbitkan oleh PTSP. Cocokkan nomor registrasi "
                           "dengan yang tertulis pada tanda terima.")
        else:
            body = _HALAMAN.format(
                warna="#b00020", pesan="Kode tidak valid",
                keterangan="Kode QR ini tidak diterbitkan oleh PTSP atau telah diubah. "
                           "Mohon periksa berkas asli pemohon.")
        return web.Response(text=body, content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    def add(app: web.Application) -> None:
        app.router.add_get("/media/{token}", media)
        app.router.add_get("/verifikasi/{payload}", verifikasi)

    return add
