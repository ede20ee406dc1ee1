"""Media from citizens: download from Twilio safely, then check what the bytes really are.

`download_media` sends the Twilio credentials only to Twilio's own hosts (or the
configured API base host), follows redirects by hand so the CDN never sees them, caps
the size while streaming and retries transient failures. `inspect_media` trusts magic
bytes, never the announced content type: it accepts JPEG, PNG, WEBP and PDF, refuses
decompression bombs and broken files, and straightens EXIF-rotated photos.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import logging
import warnings
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from PIL import Image, ImageOps

__all__ = [
    "GambarTidakValid", "JenisTidakDidukung", "MediaError", "MediaGagalDiunduh", "MediaSiap",
    "MediaTerlaluBesar", "PdfTidakValid", "download_media", "inspect_media", "sniff",
]

log = logging.getLogger(__name__)

MB = 1024 * 1024
BATAS_GAMBAR = 5 * MB  # WhatsApp's own limit for images
BATAS_DOKUMEN = 16 * MB  # WhatsApp's limit per message
MAX_PIKSEL = 50_000_000  # a 50 MP photo; anything larger is refused before decoding
_REDIRECTS = {301, 302, 303, 307, 308}
_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
_PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


class MediaError(Exception):
    """A media problem the citizen can fix; `pesan` is the reply, `kunci` its catalog key."""

    kunci = "media_gagal"
    pesan = "Maaf, file Anda tidak dapat kami proses. Silakan kirim ulang."

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.pesan)
        self.detail = detail


class MediaGagalDiunduh(MediaError):
    kunci = "media_gagal_diunduh"
    pesan = "Maaf, file Anda gagal kami terima. Silakan kirim ulang beberapa saat lagi."


class MediaTerlaluBesar(MediaError):
    kunci = "media_terlalu_besar"

    def __init__(self, batas: int, jenis: str = "file"):
        self.batas, self.jenis = batas, jenis
        mb = f"{batas / MB:g} MB"
        untuk = f" untuk {jenis}" if jenis != "file" else ""
        self.pesan = (f"Maaf, ukuran file melebihi {mb}{untuk}. "
                      "Silakan kirim ulang dengan ukuran lebih kecil.")
        super().__init__(f"lebih dari {batas} byte ({jenis})")


class JenisTidakDidukung(MediaError):
    kunci = "media_jenis_tidak_didukung"
    pesan = "Maaf, jenis file ini belum bisa kami terima. Kirim foto (JPG/PNG) atau PDF."

    def __init__(self, terdeteksi: str):
        self.terdeteksi = terdeteksi
        super().__init__(f"jenis {terdeteksi} tidak didukung")


class GambarTidakValid(MediaError):
    kunci = "media_gambar_tidak_valid"
    pesan = "Maaf, gambar tidak dapat dibuka. Silakan foto ulang dokumen Anda."


class PdfTidakValid(MediaError):
    kunci = "media_pdf_tidak_valid"
    pesan = "Maaf, file PDF tidak dapat dibuka atau tidak lengkap. Silakan kirim ulang PDF Anda."


_ZIP_KINDS = ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx"))


def sniff(data: bytes) -> str:
    """The media type the magic bytes say (`application/octet-stream` when unknown)."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/avi"}[head[8:12]]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1"):
            return "image/heic"
        if brand.startswith(b"3gp"):
            return "video/3gpp"
        return "audio/mp4" if brand == b"M4A " else "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        return next((k for marker, k in _ZIP_KINDS if marker in data[:65536]), "zip")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCARD"):
        return "text/vcard"
    return "application/octet-stream"


_MAGIC = (
    (b"OggS", "audio/ogg"), (b"#!AMR", "audio/amr"), (b"ID3", "audio/mpeg"),
    (b"\xff\xf1", "audio/aac"), (b"\xff\xf9", "audio/aac"), (b"\xff\xfb", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "video/webm"), (b"GIF8", "image/gif"), (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc/xls (OLE)"), (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"), (b"\x1f\x8b", "gzip"),
)


@dataclass(frozen=True)
class MediaSiap:
    """Checked media, ready for the file store."""

    data: bytes
    mime: str
    ext: str
    sha256: str
    width: int | None = None
    height: int | None = None
    rotated: bool = False


def auth_allowed(url: str, allowed_auth_hosts: set[str]) -> bool:
    """True when credentials may go to this URL: Twilio over HTTPS, or a configured host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "twilio.com" or host.endswith(".twilio.com"):
        return parts.scheme == "https"
    allowed = {h.lower() for h in allowed_auth_hosts}
    return host in allowed or f"{host}:{parts.port}" in allowed


async def download_media(
    session: aiohttp.ClientSession, url: str, *, auth: tuple[str, str] | None,
    allowed_auth_hosts: set[str], max_bytes: int, retries: int = 3, backoff: float = 0.5,
    timeout: float = 30.0, max_redirects: int = 5,
) -> bytes:
    """Fetch one media URL and return its bytes.

    Raises:
        MediaTerlaluBesar: the body (announced or streamed) is larger than `max_bytes`.
        MediaGagalDiunduh: a 4xx answer, too many redirects, or a transient failure
            (5xx, timeout, connection) that lasted through `retries` retries.
    """
    for attempt in range(retries + 1):
        try:
            return await _fetch(session, url, auth, allowed_auth_hosts, max_bytes,
                                timeout, max_redirects)
        except _Transient as exc:
            if attempt == retries:
                raise MediaGagalDiunduh(f"{_safe(url)}: {exc}") from None
            log.warning("media %s: attempt %d failed: %s", _safe(url), attempt + 1, exc)
            await asyncio.sleep(backoff * 2 ** attempt)
    raise AssertionError("unreachable")  # pragma: no cover


class _Transient(Exception):
    """A failure worth another try."""


async def _fetch(session: aiohttp.ClientSession, url: str, auth: tuple[str, str] | None,
                 allowed: set[str], max_bytes: int, timeout: float, max_redirects: int) -> bytes:
    for _ in range(max_redirects + 1):
        if urlsplit(url).scheme not in ("http", "https"):
            raise MediaGagalDiunduh(f"skema URL tidak didukung: {urlsplit(url).scheme}")
        headers = {}
        if auth and auth_allowed(url, allowed):
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers["Authorization"] = "Basic " + token
        try:
            async with session.get(url, headers=headers, allow_redirects=False,
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                if resp.status in _REDIRECTS and "Location" in resp.headers:
                    url = urljoin(url, resp.headers["Location"])
                    continue
                if resp.status >= 500 or resp.status == 429:
                    raise _Transient(f"HTTP {resp.status}")
                if resp.status >= 400:
                    raise MediaGagalDiunduh(f"{_safe(url)}: HTTP {resp.status}")
                if resp.content_length is not None and resp.content_length > max_bytes:
                    raise MediaTerlaluBesar(max_bytes)
                buf = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    buf += chunk
                    if len(buf) > max_bytes:
                        raise MediaTerlaluBesar(max_bytes)
                return bytes(buf)
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError,
                TimeoutError) as exc:
            raise _Transient(type(exc).__name__) from exc
    raise MediaGagalDiunduh(f"{_safe(url)}: terlalu banyak pengalihan")


def _safe(url: str) -> str:
    """The URL without query string or user info, for logs and error details."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.hostname}{':' + str(p.port) if p.port else ''}{p.path}"


def inspect_media(data: bytes) -> MediaSiap:
    """Check downloaded bytes and return them ready to store (possibly re-encoded).

    Raises:
        JenisTidakDidukung: not a JPEG, PNG, WEBP or PDF (the error names what it is).
        MediaTerlaluBesar: an image over 5 MB or a document over 16 MB.
        GambarTidakValid: an image that cannot be decoded, or a decompression bomb.
        PdfTidakValid: no `%PDF-` header or no `%%EOF` near the end.
    """
    mime = sniff(data)
    if mime not in _EXT:
        raise JenisTidakDidukung(mime)
    if mime == "application/pdf":
        if len(data) > BATAS_DOKUMEN:
            raise MediaTerlaluBesar(BATAS_DOKUMEN, "dokumen")
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
            raise PdfTidakValid("header atau %%EOF tidak ditemukan")
        return MediaSiap(data, mime, "pdf", hashlib.sha256(data).hexdigest())
    if len(data) > BATAS_GAMBAR:
        raise MediaTerlaluBesar(BATAS_GAMBAR, "foto")
    return _inspect_image(data, mime)


def _inspect_image(data: bytes, mime: str) -> MediaSiap:
    limit = min(MAX_PIKSEL, Image.MAX_IMAGE_PIXELS or MAX_PIKSEL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > limit:
                raise GambarTidakValid(f"{width}×{height} piksel melebihi batas")
            img.load()
            orientation = img.getexif().get(0x0112, 1)
            rotated = orientation in range(2, 9)
            if rotated:
                img = ImageOps.exif_transpose(img)
                width, height = img.size
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise GambarTidakValid(f"bom dekompresi: {exc}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise GambarTidakValid(f"tidak dapat didekode: {exc}") from None
    if rotated:
        out = io.BytesIO()
        fmt = _PIL_FORMAT[mime]
        if fmt == "JPEG":
            img.save(out, fmt, quality=90)
        else:
            img.save(out, fmt)
        data = out.getvalue()
    return MediaSiap(data, mime, _EXT[mime], hashlib.sha256(data).hexdigest(),
                     width=width, height=height, rotated=rotated)
