"""The tanda terima (receipt) a pemohon gets on WhatsApp when the CS accepts the berkas.

The receipt is a plain PNG, black on white, large type, so it stays readable on a cheap
phone and after WhatsApp's recompression. Its QR code carries `qr_payload(nomor, key)`:
the nomor registrasi plus a short HMAC, so the loket can tell a genuine receipt from an
edited one without any personal data in the code. Rendering is deterministic: the same
data and key give the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import qrcode
from PIL import Image, ImageDraw, ImageFont

__all__ = ["DataTandaTerima", "qr_matrix", "qr_payload", "render_tanda_terima", "verify_qr"]

LEBAR, TINGGI, TEPI = 800, 1100, 48
HITAM, ABU, HIJAU = (0, 0, 0), (90, 90, 90), (0, 104, 56)
PANJANG_TANDA = 16  # hex digits of the HMAC in the QR payload
KAKI = "Pindai kode QR di loket untuk memverifikasi keaslian tanda terima ini."
_MAKS_PAYLOAD = 200


def _tanda(nomor: str, key: bytes) -> str:
    return hmac.new(key, nomor.encode("utf-8"), hashlib.sha256).hexdigest()[:PANJANG_TANDA]


def qr_payload(nomor: str, key: bytes) -> str:
    """The text inside the receipt's QR code: `PTSP-261124-0001.<16 hex of HMAC-SHA256>`."""
    return f"{nomor}.{_tanda(nomor, key)}"


def verify_qr(payload: str, key: bytes) -> str | None:
    """The nomor registrasi when `payload` carries a valid HMAC for it, else None.

    Args:
        payload: the scanned text (surrounding whitespace from a scanner is ignored).
        key: the deployment's signing key.

    Returns:
        The nomor, or None for a tampered, foreign or malformed payload.
    """
    if not isinstance(payload, str) or len(payload) > _MAKS_PAYLOAD:
        return None
    nomor, titik, tanda = payload.strip().rpartition(".")
    if not titik or not nomor or len(tanda) != PANJANG_TANDA:
        return None
    if not hmac.compare_digest(tanda.lower().encode("ascii", "replace"),
                               _tanda(nomor, key).encode("ascii")):
        return None
    return nomor


@dataclass(frozen=True)
class DataTandaTerima:
    """What a receipt shows; every text already formatted by the caller."""

    kantor: str
    alamat_kantor: str
    nomor: str
    pemohon: str
    atas_nama: str
    layanan: str
    diterima: str
    perkiraan_selesai: str
    catatan: str | None = None


def data_tanda_terima(c: Any, uow: Any, p: Any, diterima: datetime) -> DataTandaTerima:
    """A permohonan's receipt texts: found complete at `diterima`, its estimated completion.

    The same for the image sent on WhatsApp and the page printed at the counter.
    """
    from domain.konteks import fmt_waktu
    from domain.sla import tenggat_berjalan

    profil = c.profil(p.kantor_id)
    pemohon = uow.pemohon.get(p.pengaju_id)
    lay = c.katalog_of(p.kantor_id).resolve(p.layanan)
    return DataTandaTerima(
        kantor=profil.nama, alamat_kantor=profil.alamat, nomor=p.nomor,
        pemohon=pemohon.nama if pemohon else "-", atas_nama=p.atas_nama, layanan=lay.nama,
        diterima=fmt_waktu(diterima, profil.timezone),
        perkiraan_selesai=fmt_waktu(tenggat_berjalan(p) or p.sla_tenggat, profil.timezone))


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules (True = dark) for `payload`, error correction M, without quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def _font(size: int, tebal: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    nama = "DejaVuSans-Bold.ttf" if tebal else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(nama, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _lebar(draw: ImageDraw.ImageDraw, teks: str, font) -> int:
    kiri, _, kanan, _ = draw.textbbox((0, 0), teks, font=font)
    return int(kanan - kiri)


def _bungkus(draw: ImageDraw.ImageDraw, teks: str, font, lebar: int, maks: int = 5) -> list[str]:
    """Word-wrap `teks` to `lebar` px; over-long words are cut; at most `maks` lines."""
    baris: list[str] = []
    for paragraf in (teks or "-").splitlines() or ["-"]:
        kini = ""
        for kata in paragraf.split() or [""]:
            calon = f"{kini} {kata}".strip()
            if _lebar(draw, calon, font) <= lebar:
                kini = calon
                continue
            if kini:
                baris.append(kini)
            kini = ""
            for huruf in kata:  # a single word wider than the column
                if kini and _lebar(draw, kini + huruf, font) > lebar:
                    baris.append(kini)
                    kini = ""
                kini += huruf
        baris.append(kini)
    if len(baris) > maks:
        baris = baris[:maks]
        while baris[-1] and _lebar(draw, baris[-1] + "…", font) > lebar:
            baris[-1] = baris[-1][:-1]
        baris[-1] += "…"
    return baris


def _tinggi_baris(font) -> int:
    return int(getattr(font, "size", 12) * 1.3)


def _tulis(draw, baris: list[str], font, y: int, *, x: int = TEPI, tengah: bool = False,
           warna=HITAM) -> int:
    for b in baris:
        bx = (LEBAR - _lebar(draw, b, font)) // 2 if tengah else x
        draw.text((bx, y), b, font=font, fill=warna)
        y += _tinggi_baris(font)
    return y


def _garis(draw: ImageDraw.ImageDraw, y: int) -> int:
    draw.line([(TEPI, y), (LEBAR - TEPI, y)], fill=ABU, width=2)
    return y + 20


def _gambar_qr(payload: str, sisi: int = 300) -> Image.Image:
    matriks = qr_matrix(payload)
    n = len(matriks)
    kotak = max(3, sisi // (n + 8))
    img = Image.new("L", ((n + 8) * kotak,) * 2, 255)
    d = ImageDraw.Draw(img)
    for r, baris in enumerate(matriks):
        for c, gelap in enumerate(baris):
            if gelap:
                x, y = (c + 4) * kotak, (r + 4) * kotak
                d.rectangle([x, y, x + kotak - 1, y + kotak - 1], fill=0)
    return img


def render_tanda_terima(data: DataTandaTerima, key: bytes) -> bytes:
    """Draw the receipt as PNG bytes (800 px wide, at least 1100 px high).

    Args:
        data: the formatted texts to show.
        key: the signing key for the QR code's HMAC.

    Returns:
        The PNG file's bytes; identical for identical input.
    """
    img = Image.new("RGB", (LEBAR, 2400), "white")
    draw = ImageDraw.Draw(img)
    isi = LEBAR - 2 * TEPI
    f_judul, f_kantor, f_kecil = _font(38, True), _font(24, True), _font(20)
    f_label, f_nilai, f_nilai_b, f_nomor = _font(22), _font(24), _font(24, True), _font(46, True)

    draw.rectangle([0, 0, LEBAR, 14], fill=HIJAU)
    y = _tulis(draw, ["TANDA TERIMA BERKAS"], f_judul, 44, tengah=True) + 8
    y = _tulis(draw, _bungkus(draw, data.kantor, f_kantor, isi, 2), f_kantor, y, tengah=True)
    y = _tulis(draw, _bungkus(draw, data.alamat_kantor, f_kecil, isi, 3), f_kecil, y,
               tengah=True, warna=ABU)
    y = _garis(draw, y + 14)
    y = _tulis(draw, ["Nomor registrasi"], f_label, y, tengah=True, warna=ABU)
    y = _tulis(draw, _bungkus(draw, data.nomor, f_nomor, isi, 2), f_nomor, y + 4, tengah=True)
    y = _garis(draw, y + 16)

    kolom = TEPI + 230
    baris = [("Pemohon", data.pemohon, f_nilai_b), ("Atas nama", data.atas_nama, f_nilai_b),
             ("Layanan", data.layanan, f_nilai), ("Diterima", data.diterima, f_nilai),
             ("Perkiraan selesai", data.perkiraan_selesai, f_nilai)]
    if data.catatan:
        baris.append(("Catatan", data.catatan, f_nilai))
    for label, nilai, font in baris:
        akhir_label = _tulis(draw, _bungkus(draw, label, f_label, kolom - TEPI - 12, 2),
                             f_label, y + 2, warna=ABU)
        akhir = _tulis(draw, _bungkus(draw, nilai, font, LEBAR - TEPI - kolom), font, y, x=kolom)
        y = max(akhir, akhir_label) + 10

    qr = _gambar_qr(qr_payload(data.nomor, key))
    kaki = _bungkus(draw, KAKI, f_kecil, isi, 3)
    blok = qr.height + 8 + len(kaki) * _tinggi_baris(f_kecil)
    y = max(y + 10, TINGGI - TEPI - blok)  # bottom-aligned when there is room
    img.paste(qr, ((LEBAR - qr.width) // 2, y))
    y = _tulis(draw, kaki, f_kecil, y + qr.height + 8, tengah=True, warna=ABU)

    img = img.crop((0, 0, LEBAR, max(TINGGI, y + TEPI)))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()
