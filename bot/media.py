"""Media from citizens: download from Twilio safely, then check what the bytes really are.

`download_media` sends the Twilio credentials only to Twilio's own hosts (or the
configured API base host), follows redirects by hand so the CDN never sees them, caps
the size while streaming, bounds each attempt (redirects included) by `timeout` and
retries transient failures. Given a `MediaGuard` it also fetches only from Twilio's media
hosts over HTTPS (every redirect hop is checked again) and refuses loopback, private and
link-local addresses after DNS resolution, in the resolver the connection really uses.
`inspect_media` trusts magic bytes, never the announced content type: it accepts JPEG,
PNG, WEBP and PDF, refuses images over `MAX_PIKSEL` pixels before decoding any of them,
refuses broken files, straightens EXIF-rotated photos and closes every image it opened.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import ipaddress
import logging
import socket
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from PIL import Image, ImageOps

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = [
    "GambarTerlaluBesar", "GambarTidakValid", "JenisTidakDidukung", "MediaDitolak",
    "MediaError", "MediaGagalDiunduh", "MediaGuard", "MediaSiap", "MediaTerlaluBesar",
    "PdfTidakValid", "download_media", "inspect_media", "sniff",
]

log = logging.getLogger(__name__)

MB = 1024 * 1024
BATAS_GAMBAR = 5 * MB  # WhatsApp's own limit for images
BATAS_DOKUMEN = 16 * MB  # WhatsApp's limit per message
# a 24 MP photo (6000×4000; phones send 12 MP); anything larger is refused before decoding,
# so one image never takes more than ~100 MB once decoded (RGBA)
MAX_PIKSEL = 24_000_000
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


class GambarTerlaluBesar(GambarTidakValid):
    """More pixels than `MAX_PIKSEL`: refused from the header, before any decoding."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        super().__init__(f"{width}×{height} piksel melebihi batas {MAX_PIKSEL}")


class MediaDitolak(MediaError):
    """A media URL outside Twilio's media hosts, or one that resolves to a local address."""

    kunci = "media_sumber_ditolak"
    pesan = ("Maaf, file Anda tidak dapat kami ambil dari alamat tersebut. "
             "Silakan kirim ulang file langsung sebagai lampiran WhatsApp.")


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
    mutu: str | None = None  # a photo's problem: kecil, gelap, polos or buram (mutu_foto)


# Photo quality at the door, thresholds measured on generated document photos
# (tests/unit/test_mutu_foto.py): sharp pages give a Laplacian variance of 450–4,700 in
# their sharpest 1/16th, pages blurred by a 4–8 px Gaussian 150–165; a page in the dark
# has a mean grey of ~34 (dim but readable: ~100); one colour has a spread under 8.
SISI_MINIMUM = 400  # px, the shorter side
GELAP_MAKS = 60  # mean grey 0–255
POLOS_MAKS = 8.0  # standard deviation of grey
BURAM_MAKS = 250.0  # Laplacian variance of the sharpest tile
_LAPLACE = (0, 1, 0, 1, -4, 1, 0, 1, 0)


def mutu_foto(img: Image.Image) -> str | None:
    """What is wrong with a photo of a document, or None: too small, too dark, one colour
    (not a document), too blurred (variance of the Laplacian, sharpest tile of 4×4)."""
    from PIL import ImageFilter, ImageStat

    if min(img.size) < SISI_MINIMUM:
        return "kecil"
    g = img.convert("L")
    try:
        g.thumbnail((800, 800))
        stat = ImageStat.Stat(g)
        if stat.mean[0] < GELAP_MAKS:
            return "gelap"
        lap = g.filter(ImageFilter.Kernel((3, 3), _LAPLACE, scale=1, offset=128))
        w, h = lap.size
        tajam = max(ImageStat.Stat(lap.crop((i * w // 4, j * h // 4, (i + 1) * w // 4,
                                             (j + 1) * h // 4))).var[0]
                    for i in range(4) for j in range(4))
        lap.close()
        if tajam >= BURAM_MAKS:
            return None  # sharp somewhere: a page, even a nearly empty one
        return "polos" if stat.stddev[0] < POLOS_MAKS else "buram"
    finally:
        g.close()


def auth_allowed(url: str, allowed_auth_hosts: set[str]) -> bool:
    """True when credentials may go to this URL: Twilio over HTTPS, or a configured host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "twilio.com" or host.endswith(".twilio.com"):
        return parts.scheme == "https"
    allowed = {h.lower() for h in allowed_auth_hosts}
    return host in allowed or f"{host}:{parts.port}" in allowed


#: Twilio's hosts and their sub-domains: api.twilio.com, mms.twiliocdn.com,
#: media.twiliocdn.com (where media URLs redirect when HTTP auth is enforced on media)
TWILIO_MEDIA_DOMAINS = ("twilio.com", "twiliocdn.com")
#: media of accounts without HTTP auth on media redirect to Twilio's bucket on S3,
#: path style: https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC…/…
_TWILIO_S3 = ({"s3-external-1.amazonaws.com", "s3.amazonaws.com"}, "/media.twiliocdn.com/")


def is_twilio_media_host(host: str, path: str = "/") -> bool:
    """True for Twilio's own media hosts (and Twilio's media bucket on S3)."""
    host = host.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in TWILIO_MEDIA_DOMAINS):
        return True
    return host in _TWILIO_S3[0] and path.startswith(_TWILIO_S3[1])


def public_address(ip: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local…)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class _AlamatTerlarang(OSError):
    """Raised by the guard's resolver: the host resolves to a non-public address."""


@dataclass(frozen=True)
class MediaGuard:
    """Where citizens' media may be fetched from (see `bot.settings.MediaConfig`).

    Attributes:
        extra_hosts: further hosts, `host` or `host:port` in lower case, fetched over
            HTTP or HTTPS (a test fake, a local proxy).
        allow_private: accept loopback, private and link-local addresses (tests only).
        trusted: hosts (`host` or `host:port`) whose addresses are not checked: the
            Twilio API base the operator configured, which gets the credentials anyway.
    """

    extra_hosts: frozenset[str] = frozenset()
    allow_private: bool = False
    trusted: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaGuard:
        """Twilio's media hosts, `media.extra_hosts`, and the configured API base host."""
        extra = {h.strip().lower() for h in settings.media.extra_hosts if h.strip()}
        trusted: set[str] = set()
        base = urlsplit(settings.twilio_api_base_url)
        host = (base.hostname or "").lower()
        if host and not is_twilio_media_host(host):
            entry = f"{host}:{base.port}" if base.port else host
            extra.add(entry)
            trusted.add(entry)
        return cls(frozenset(extra), settings.media.allow_private, frozenset(trusted))

    def _listed(self, hosts: frozenset[str], host: str, port: int | None) -> bool:
        return host in hosts or (port is not None and f"{host}:{port}" in hosts)

    def check_url(self, url: str) -> None:
        """Refuse a URL (before any connection) that is not one of the allowed sources.

        Raises:
            MediaDitolak: another scheme or host, user info in the URL, plain HTTP to a
                Twilio host, or a literal IP address that is not public.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        try:
            port = parts.port
        except ValueError:
            raise MediaDitolak(f"port tidak sah: {_safe(url)}") from None
        if parts.scheme not in ("http", "https") or not host or parts.username \
                or parts.password:
            raise MediaDitolak(f"URL media tidak sah: {parts.scheme}://{host}")
        listed = self._listed(self.extra_hosts, host, port)
        if not listed and not (parts.scheme == "https"
                               and is_twilio_media_host(host, parts.path)):
            raise MediaDitolak(f"{_safe(url)}: bukan host media Twilio (HTTPS)")
        if _is_ip(host) and not self.address_allowed(host, host, port):
            raise MediaDitolak(f"{_safe(url)}: alamat {host} tidak publik")

    def address_allowed(self, ip: str, host: str, port: int | None) -> bool:
        """May a connection to `host` go to `ip`?"""
        return (self.allow_private or public_address(ip)
                or self._listed(self.trusted, host.lower().rstrip("."), port))

    def session(self, timeout: float) -> aiohttp.ClientSession:
        """A session whose every connection goes through this guard's resolver."""
        connector = aiohttp.TCPConnector(resolver=_GuardResolver(self), use_dns_cache=False)
        return aiohttp.ClientSession(connector=connector, trust_env=False,
                                     timeout=aiohttp.ClientTimeout(total=timeout))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class _GuardResolver(AbstractResolver):
    """The default resolver, refusing a host with any non-public address.

    Checking here, not before the request, means the address checked is the address
    connected to (no second lookup an attacker's DNS could answer differently).
    """

    def __init__(self, guard: MediaGuard):
        self.guard = guard
        self._inner = aiohttp.DefaultResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        bad = [r["host"] for r in results
               if not self.guard.address_allowed(r["host"], host, port or None)]
        if bad:
            raise _AlamatTerlarang(f"{host} mengarah ke alamat tidak publik {bad[0]}")
        return results

    async def close(self) -> None:
        await self._inner.close()


async def download_media(
    session: aiohttp.ClientSession | None, url: str, *, auth: tuple[str, str] | None,
    allowed_auth_hosts: set[str], max_bytes: int, retries: int = 3, backoff: float = 0.5,
    timeout: float = 30.0, max_redirects: int = 5, guard: MediaGuard | None = None,
) -> bytes:
    """Fetch one media URL and return its bytes.

    Args:
        session: the session to use without a guard (with one: unused, may be None; the
            guard's own session is used so that its resolver checks every address).
        url: the media URL (Twilio's `MediaUrl{N}`).
        auth: (AccountSid, AuthToken) for Basic auth, sent only where `auth_allowed`.
        allowed_auth_hosts: hosts besides Twilio's that may receive the credentials.
        max_bytes: the largest body accepted.
        retries: further attempts after a transient failure.
        backoff: seconds before the first retry, doubled each time.
        timeout: the limit of one attempt, redirects and reading the body included.
        max_redirects: redirects followed (by hand, each hop checked) per attempt.
        guard: where media may come from; None keeps no restriction on hosts (only on
            where the credentials go), for callers that fetch URLs they trust.

    Raises:
        MediaTerlaluBesar: the body (announced or streamed) is larger than `max_bytes`.
        MediaDitolak: with a guard, a URL or redirect hop it refuses (never retried).
        MediaGagalDiunduh: a 4xx answer, too many redirects, or a transient failure
            (5xx, timeout, connection) that lasted through `retries` retries.
    """
    for attempt in range(retries + 1):
        try:
            if guard is None:
                if session is None:
                    raise ValueError("download_media: session atau guard wajib diisi")
                return await asyncio.wait_for(
                    _fetch(session, url, auth, allowed_auth_hosts, max_bytes, timeout,
                           max_redirects, None), timeout)
            async with guard.session(timeout) as own:
                return await asyncio.wait_for(
                    _fetch(own, url, auth, allowed_auth_hosts, max_bytes, timeout,
                           max_redirects, guard), timeout)
        except (_Transient, TimeoutError) as exc:
            reason = str(exc) or type(exc).__name__
            if attempt == retries:
                raise MediaGagalDiunduh(f"{_safe(url)}: {reason}") from None
            log.warning("media %s: attempt %d failed: %s", _safe(url), attempt + 1, reason)
            await asyncio.sleep(backoff * 2 ** attempt)
        except MediaDitolak as exc:
            log.warning("media ditolak: %s", exc.detail)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


class _Transient(Exception):
    """A failure worth another try."""


def _refused_address(exc: BaseException) -> _AlamatTerlarang | None:
    """The guard's refusal inside an aiohttp connection error, if that is what it is."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, _AlamatTerlarang):
            return seen
        os_error = getattr(seen, "os_error", None)
        if isinstance(os_error, _AlamatTerlarang):
            return os_error
        seen = seen.__cause__ or seen.__context__
    return None


async def _fetch(session: aiohttp.ClientSession, url: str, auth: tuple[str, str] | None,
                 allowed: set[str], max_bytes: int, timeout: float, max_redirects: int,
                 guard: MediaGuard | None) -> bytes:
    for _ in range(max_redirects + 1):
        if guard is not None:
            guard.check_url(url)
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
                TimeoutError, _AlamatTerlarang) as exc:
            refused = _refused_address(exc)
            if refused is not None:
                raise MediaDitolak(f"{_safe(url)}: {refused}") from None
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
    if mime in ("image/heic", "image/webp"):  # iPhone photos, some Android ones: as JPEG
        if len(data) > BATAS_GAMBAR:
            raise MediaTerlaluBesar(BATAS_GAMBAR, "foto")
        data, mime = _ke_jpeg(data, mime), "image/jpeg"
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
    """Decode (bounded in pixels) to check the image; re-encode only an EXIF-rotated one.

    Every image opened here is closed before returning (`with Image.open` would only
    close the file, not free the pixels), so its memory is released at once rather than
    whenever the garbage collector gets to it.
    """
    limit = min(MAX_PIKSEL, Image.MAX_IMAGE_PIXELS or MAX_PIKSEL)
    opened: list[Image.Image] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            opened.append(img)
            width, height = img.size  # from the header: nothing decoded yet
            if width * height > limit:
                raise GambarTerlaluBesar(width, height)
            img.load()
            orientation = img.getexif().get(0x0112, 1)
            rotated = orientation in range(2, 9)
            if rotated:
                turned = ImageOps.exif_transpose(img)
                opened.append(turned)
                width, height = turned.size
                data = _encode(turned, mime)
            mutu = mutu_foto(opened[-1])
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise GambarTidakValid(f"bom dekompresi: {exc}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise GambarTidakValid(f"tidak dapat didekode: {exc}") from None
    finally:
        for im in opened:
            im.close()
    return MediaSiap(data, mime, _EXT[mime], hashlib.sha256(data).hexdigest(),
                     width=width, height=height, rotated=rotated, mutu=mutu)


def _ke_jpeg(data: bytes, mime: str) -> bytes:
    """HEIC (pillow-heif) or WEBP re-encoded as JPEG, bounded in pixels like any image."""
    limit = min(MAX_PIKSEL, Image.MAX_IMAGE_PIXELS or MAX_PIKSEL)
    opened: list[Image.Image] = []
    try:
        if mime == "image/heic":
            try:
                import pillow_heif
            except ImportError:  # pragma: no cover - a dependency; without it: not accepted
                raise JenisTidakDidukung(mime) from None
            heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
            width, height = heif.size
            if width * height > limit:
                raise GambarTerlaluBesar(width, height)
            img = heif.to_pillow()
        else:
            img = Image.open(io.BytesIO(data))
            if img.size[0] * img.size[1] > limit:
                raise GambarTerlaluBesar(*img.size)
        opened.append(img)
        img = ImageOps.exif_transpose(img)
        opened.append(img)
        if img.mode != "RGB":  # transparency on white, like paper
            flat = Image.new("RGB", img.size, "white")
            flat.paste(img, mask=img.convert("RGBA").getchannel("A"))
            opened.append(flat)
            img = flat
        return _encode(img, "image/jpeg")
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the decoder says: not a usable photo
        raise GambarTidakValid(f"tidak dapat didekode: {exc}") from None
    finally:
        for im in opened:
            im.close()


def _encode(img: Image.Image, mime: str) -> bytes:
    out = io.BytesIO()
    fmt = _PIL_FORMAT[mime]
    if fmt == "JPEG":
        img.save(out, fmt, quality=90)
    else:
        img.save(out, fmt)
    return out.getvalue()
