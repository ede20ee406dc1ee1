"""The tanda terima: the QR payload's HMAC, and the PNG with a QR the loket can scan.

No QR decoder is installed, so the tests find the code in the picture by its top-left
finder pattern and compare every module with the matrix `qrcode` builds for the payload.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageFont

from bot.receipt import DataTandaTerima, qr_matrix, qr_payload, render_tanda_terima, verify_qr

KEY = b"kunci-uji"
NOMOR = "PTSP-261124-0001"


def data(**kw) -> DataTandaTerima:
    base = dict(
        kantor="Kantor Wilayah Kementerian Agama Provinsi Jawa Barat",
        alamat_kantor="Jl. Jend. Sudirman No. 644, Bandung 40183",
        nomor=NOMOR, pemohon="Siti Nurhaliza", atas_nama="Siti Nurhaliza",
        layanan="Surat Rekomendasi Paspor Umrah",
        diterima="Selasa, 24 November 2026 pukul 09.00 WIB",
        perkiraan_selesai="Kamis, 26 November 2026 pukul 09.00 WIB",
    )
    return DataTandaTerima(**{**base, **kw})


def find_qr(png: bytes, matrix: list[list[bool]]) -> bool:
    """True when the picture holds `matrix` drawn with square, whole-pixel modules."""
    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    px = img.load()

    def dark(x: int, y: int) -> bool:
        return 0 <= x < w and 0 <= y < h and px[x, y] < 128

    n = len(matrix)
    for y in range(h):
        for x in range(w):
            if not dark(x, y) or dark(x - 1, y) or dark(x, y - 1):
                continue
            run = 0
            while dark(x + run, y):
                run += 1
            if run < 14 or run % 7:
                continue
            s = run // 7
            if all(dark(x, y + i) for i in range(run)) and not dark(x, y + run) and all(
                dark(x + c * s + s // 2, y + r * s + s // 2) == matrix[r][c]
                for r in range(n) for c in range(n)
            ):
                return True
    return False


# -- the QR payload ----------------------------------------------------------------------


def test_payload_is_the_nomor_and_16_hex_of_its_hmac():
    payload = qr_payload(NOMOR, KEY)
    assert re.fullmatch(r"PTSP-261124-0001\.[0-9a-f]{16}", payload)
    assert qr_payload(NOMOR, KEY) == payload
    assert verify_qr(payload, KEY) == NOMOR


def test_scanner_whitespace_and_upper_case_hex_are_accepted():
    nomor, _, tanda = qr_payload(NOMOR, KEY).partition(".")
    assert verify_qr(f"  {nomor}.{tanda.upper()}\r\n", KEY) == NOMOR


def test_a_tampered_or_foreign_payload_is_refused():
    payload = qr_payload(NOMOR, KEY)
    tanda = payload.rsplit(".", 1)[1]
    assert verify_qr(f"PTSP-261124-0002.{tanda}", KEY) is None
    flipped = tanda[:-1] + ("0" if tanda[-1] != "0" else "1")
    assert verify_qr(f"{NOMOR}.{flipped}", KEY) is None
    assert verify_qr(payload, b"kunci-lain") is None


@pytest.mark.parametrize("payload", [
    "", ".", "PTSP-261124-0001", "PTSP-261124-0001.", ".0123456789abcdef",
    "PTSP-261124-0001.0123", "PTSP-261124-0001.0123456789abcdefgh",
    "PTSP-261124-0001.ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ", "x" * 500 + ".0123456789abcdef", None, 42,
])
def test_malformed_payloads_are_refused_without_raising(payload):
    assert verify_qr(payload, KEY) is None  # type: ignore[arg-type]


# -- the picture ---------------------------------------------------------------------------


def test_the_receipt_is_a_white_png_of_about_800_by_1100():
    png = render_tanda_terima(data(catatan="Harap membawa KTP asli."), KEY)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.width == 800 and 1050 <= img.height <= 1400
    assert img.convert("RGB").getpixel((5, img.height - 5)) == (255, 255, 255)


def test_its_qr_code_carries_the_signed_payload():
    png = render_tanda_terima(data(), KEY)
    assert find_qr(png, qr_matrix(qr_payload(NOMOR, KEY)))
    assert not find_qr(png, qr_matrix(qr_payload("PTSP-261124-0002", KEY)))
    assert not find_qr(png, qr_matrix(qr_payload(NOMOR, b"kunci-lain")))


def test_rendering_is_deterministic_and_follows_the_data():
    first = render_tanda_terima(data(), KEY)
    assert render_tanda_terima(data(), KEY) == first
    assert render_tanda_terima(data(nomor="PTSP-261124-0002"), KEY) != first
    assert render_tanda_terima(data(catatan="Fotokopi KK menyusul."), KEY) != first
    assert render_tanda_terima(data(), b"kunci-lain") != first


def test_long_names_wrap_and_the_qr_stays_whole():
    panjang = data(
        pemohon="Raden Mas Muhammad Abdurrahman Wahid Hasyim Asy'ari " * 4,
        atas_nama="Yayasan Pendidikan Islam Al-Hikmah Nusantara Raya " * 10,
        layanan="X" * 300,  # one word wider than the column
        catatan="Berkas asli diperlihatkan di loket. " * 30,
    )
    png = render_tanda_terima(panjang, KEY)
    img = Image.open(io.BytesIO(png))
    assert img.width == 800 and 1100 <= img.height <= 2400
    assert find_qr(png, qr_matrix(qr_payload(NOMOR, KEY)))


def test_it_renders_without_any_truetype_font(monkeypatch):
    real = ImageFont.truetype

    def no_system_fonts(font, *args, **kwargs):
        if isinstance(font, str):  # a file looked up on disk; Pillow's own stays usable
            raise OSError("cannot open resource")
        return real(font, *args, **kwargs)

    monkeypatch.setattr(ImageFont, "truetype", no_system_fonts)
    png = render_tanda_terima(data(atas_nama="Nama yang sangat panjang sekali " * 5), KEY)
    img = Image.open(io.BytesIO(png))
    assert img.width == 800 and img.height >= 1100
    assert find_qr(png, qr_matrix(qr_payload(NOMOR, KEY)))
