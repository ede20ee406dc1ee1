"""Photo quality at the door, on generated document photos: sharp pages of any paper and
size pass; blurred, dark, tiny and one-colour ones are named for what is wrong."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageEnhance, ImageFilter

from bot.media import inspect_media
from tests.gambar import dokumen


def _ubah(data: bytes, f, fmt: str = "JPEG") -> bytes:
    img = f(Image.open(io.BytesIO(data)).convert("RGB"))
    buf = io.BytesIO()
    img.save(buf, fmt, quality=85)
    return buf.getvalue()


@pytest.mark.parametrize("size", [(640, 480), (900, 1200), (1200, 1600), (1600, 1200)])
@pytest.mark.parametrize("color", ["white", "#f5f0e1", "#dde8f0"])
def test_sharp_pages_pass(size, color):
    assert inspect_media(dokumen(size, color)).mutu is None
    # JPEG at low quality, a dim room and a slight softness still pass
    base = dokumen(size, color)
    assert inspect_media(_ubah(base, lambda im: im, "JPEG")).mutu is None
    assert inspect_media(_ubah(base, lambda im: ImageEnhance.Brightness(im).enhance(0.5))
                         ).mutu is None
    assert inspect_media(_ubah(base, lambda im: im.filter(ImageFilter.GaussianBlur(1)))
                         ).mutu is None


@pytest.mark.parametrize("radius", [4, 6, 10])
def test_blurred_pages_are_buram(radius):
    data = _ubah(dokumen((1200, 1600)), lambda im: im.filter(ImageFilter.GaussianBlur(radius)))
    assert inspect_media(data).mutu == "buram"


def test_dark_tiny_and_one_colour_photos():
    base = dokumen((1200, 1600))
    assert inspect_media(_ubah(base, lambda im: ImageEnhance.Brightness(im).enhance(0.15))
                         ).mutu == "gelap"
    assert inspect_media(_ubah(base, lambda im: im.resize((240, 320)))).mutu == "kecil"
    buf = io.BytesIO()
    Image.new("RGB", (1200, 1600), (120, 90, 60)).save(buf, "JPEG")
    assert inspect_media(buf.getvalue()).mutu == "polos"


def test_a_page_with_one_sharp_line_is_not_called_blurred():
    from PIL import ImageDraw, ImageFont

    img = Image.new("RGB", (1200, 1600), "white")
    ImageDraw.Draw(img).text((100, 100), "Hormat kami,", fill="black",
                             font=ImageFont.load_default(size=28))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    assert inspect_media(buf.getvalue()).mutu is None


def test_heic_and_webp_photos_become_jpeg_pages():
    import pillow_heif

    pillow_heif.register_heif_opener()
    page = Image.open(io.BytesIO(dokumen((900, 1200))))
    for fmt in ("HEIF", "WEBP"):
        buf = io.BytesIO()
        page.save(buf, fmt, quality=90)
        ready = inspect_media(buf.getvalue())
        assert (ready.mime, ready.ext, ready.mutu) == ("image/jpeg", "jpg", None), fmt
        assert Image.open(io.BytesIO(ready.data)).size == (900, 1200)
    rgba = Image.new("RGBA", (900, 1200), (0, 0, 0, 0))
    buf = io.BytesIO()
    rgba.save(buf, "WEBP")
    assert inspect_media(buf.getvalue()).mutu == "polos"  # transparent: a blank page
