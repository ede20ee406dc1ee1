from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from bot.media import (
    GambarTidakValid,
    JenisTidakDidukung,
    MediaError,
    MediaTerlaluBesar,
    PdfTidakValid,
    inspect_media,
)

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20), **save_kw) -> bytes:
    img = Image.new("RGB", size, "white")
    buf = io.BytesIO()
    img.save(buf, fmt, **save_kw)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit grayscale PNG of all-black pixels: tiny file, huge bitmap."""
    row = b"\x00" * (1 + (width + 7) // 8)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


@pytest.mark.parametrize("fmt, mime, ext", [("JPEG", "image/jpeg", "jpg"),
                                            ("PNG", "image/png", "png")])
def test_images_are_recognised_by_their_magic_bytes(fmt: str, mime: str, ext: str):
    data = image_bytes(fmt)
    siap = inspect_media(data)
    assert (siap.mime, siap.ext, siap.width, siap.height) == (mime, ext, 40, 20)
    assert siap.data == data and not siap.rotated
    assert siap.sha256 == hashlib.sha256(data).hexdigest()


def test_a_webp_is_recognised_and_stored_as_jpeg():
    siap = inspect_media(image_bytes("WEBP"))
    assert (siap.mime, siap.ext, siap.width, siap.height) == ("image/jpeg", "jpg", 40, 20)
    assert siap.data.startswith(b"\xff\xd8\xff")


def test_a_pdf_is_accepted_as_is():
    siap = inspect_media(PDF)
    assert (siap.mime, siap.ext, siap.data, siap.width) == ("application/pdf", "pdf", PDF, None)


def test_an_encrypted_pdf_is_accepted():
    data = (b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /Standard /V 2 /R 3 /O <00> "
            b"/U <00> /P -44 >>\nendobj\ntrailer\n<< /Encrypt 1 0 R >>\n%%EOF")
    assert inspect_media(data).mime == "application/pdf"


def test_a_pdf_without_eof_marker_is_refused():
    with pytest.raises(PdfTidakValid) as exc:
        inspect_media(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\n" + b"x" * 5000)
    assert "PDF" in exc.value.pesan


def test_a_pdf_over_16_mb_is_refused():
    data = b"%PDF-1.4\n" + b"0" * (16 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(MediaTerlaluBesar) as exc:
        inspect_media(data)
    assert "16 MB" in exc.value.pesan


def test_a_6_mb_png_is_refused_with_the_5_mb_photo_message():
    noise = Image.frombytes("RGB", (1500, 1400), os.urandom(1500 * 1400 * 3))
    buf = io.BytesIO()
    noise.save(buf, "PNG", compress_level=0)
    assert len(buf.getvalue()) > 6_000_000
    with pytest.raises(MediaTerlaluBesar) as exc:
        inspect_media(buf.getvalue())
    assert exc.value.pesan == ("Maaf, ukuran file melebihi 5 MB untuk foto. "
                               "Silakan kirim ulang dengan ukuran lebih kecil.")


@pytest.mark.parametrize("width, height", [(20000, 20000), (9000, 9000)])
def test_a_decompression_bomb_png_is_refused(width: int, height: int):
    data = bomb_png(width, height)
    assert len(data) < 200_000
    with pytest.raises(GambarTidakValid) as exc:
        inspect_media(data)
    assert exc.value.pesan == "Maaf, gambar tidak dapat dibuka. Silakan foto ulang dokumen Anda."


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", (400, 300), quality=95)
    with pytest.raises(GambarTidakValid):
        inspect_media(data[: len(data) // 2])


def test_garbage_after_a_png_signature_is_refused():
    with pytest.raises(GambarTidakValid):
        inspect_media(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def test_an_exif_rotated_jpeg_is_transposed_and_reencoded():
    img = Image.new("RGB", (40, 20), "white")
    img.paste((255, 0, 0), (0, 0, 20, 20))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    siap = inspect_media(buf.getvalue())
    assert siap.rotated and (siap.width, siap.height) == (20, 40)
    assert siap.data != buf.getvalue()
    out = Image.open(io.BytesIO(siap.data))
    assert out.size == (20, 40) and out.format == "JPEG"
    assert out.getexif().get(0x0112, 1) == 1
    r, g, b = out.convert("RGB").getpixel((10, 5))  # red half is now on top
    assert r > 200 and g < 60 and b < 60
    assert siap.sha256 == hashlib.sha256(siap.data).hexdigest()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, terdeteksi", [
    (b"OggS\x00\x02" + b"\x00" * 40 + b"OpusHead", "audio/ogg"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Budi Santoso\r\nTEL:+6281234567890\r\nEND:VCARD\r\n",
     "text/vcard"),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32, "video/mp4"),
    (_docx(), "docx"),
    (b"GIF89a" + b"\x00" * 20, "image/gif"),
    (b"hello, just text", "application/octet-stream"),
])
def test_other_types_are_refused_naming_what_they_look_like(data: bytes, terdeteksi: str):
    with pytest.raises(JenisTidakDidukung) as exc:
        inspect_media(data)
    assert exc.value.terdeteksi == terdeteksi
    assert exc.value.pesan == ("Maaf, jenis file ini belum bisa kami terima. "
                               "Kirim foto (JPG/PNG) atau PDF.")
    assert isinstance(exc.value, MediaError)


def test_a_jpeg_announced_as_pdf_is_still_judged_by_its_bytes():
    assert inspect_media(image_bytes("JPEG")).mime == "image/jpeg"
    with pytest.raises(PdfTidakValid):
        inspect_media(b"%PDF-" + image_bytes("JPEG"))
