"""Photos of documents for tests: a page with a letterhead and lines of text, sharp enough
to pass the door's quality check (bot.media.mutu_foto), in any size and paper colour."""

from __future__ import annotations

import io
from functools import lru_cache


@lru_cache(maxsize=64)
def dokumen(size: tuple[int, int] = (900, 1200), color: str = "white", fmt: str = "JPEG",
            teks: str = "Surat permohonan") -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", size, color)
    d = ImageDraw.Draw(img)
    w, h = size
    font = ImageFont.load_default(size=max(10, min(w, h) // 32))
    d.text((w // 12, h // 20), "KEMENTERIAN AGAMA REPUBLIK INDONESIA", fill="black", font=font)
    y, step = h // 8, max(14, h // 28)
    while y < h - step:
        d.text((w // 12, y), f"{teks}: nomor, tanggal, perihal, dengan hormat", fill="black",
               font=font)
        y += step
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()
