"""Printed forms for the counter printer (fpdf2): a walk-in's bukti pengajuan, and the
tanda terima once the file was found complete (the same receipt, signed QR included, as
the image a WhatsApp pemohon gets)."""

from __future__ import annotations

from typing import Any


def _latin1(text: str) -> str:
    """The core PDF fonts speak Latin-1: other characters become their nearest or '?'."""
    text = text.replace("—", "-").replace("–", "-").replace("·", "-").replace("“", '"')
    return text.replace("”", '"').encode("latin-1", "replace").decode("latin-1")


def bukti_pengajuan(k: Any, kantor_id: int, data: dict[str, Any], layanan: Any) -> bytes:
    """One A5 page: the office, the number, the service, who, when, the checklist."""
    from datetime import datetime

    from fpdf import FPDF

    from domain.konteks import fmt_waktu
    from domain.status import LABEL, Status

    profil = k.profil(kantor_id)
    pdf = FPDF(format=(148, 210))  # A5, in mm
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin1(profil.nama), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(0, 4, _latin1(profil.alamat), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "BUKTI PENGAJUAN PERMOHONAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=10)
    baris = [
        ("Nomor registrasi", data["nomor"]),
        ("Layanan", layanan.nama),
        ("Pemohon", data["pemohon"]["nama"] or "-"),
        ("Atas nama", data["atas_nama"]),
        ("Diajukan", fmt_waktu(datetime.fromisoformat(data["diajukan"]), profil.timezone)),
        ("Status", LABEL[Status(data["status"])]),
    ]
    for label, value in baris:
        pdf.cell(38, 6, _latin1(label))
        pdf.multi_cell(0, 6, _latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Persyaratan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for r in layanan.persyaratan:
        pdf.multi_cell(0, 5, _latin1(f"[  ] {r.nama}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4, _latin1(
        "Berkas akan diperiksa kelengkapannya; tanda terima dengan perkiraan waktu selesai "
        f"diberikan setelah lengkap. Cek status: WhatsApp {profil.whatsapp or '-'}, "
        f"ketik: cek {data['nomor']}."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def tanda_terima(png: bytes) -> bytes:
    """One A5 page holding the receipt image (`bot.receipt.render_tanda_terima`)."""
    import io

    from fpdf import FPDF
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        lebar, tinggi = img.size
    pdf = FPDF(format=(148, 210))  # A5, in mm
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    w = 128.0
    h = w * tinggi / lebar
    if h > 190:  # a long receipt: fit the height instead
        h, w = 190.0, 190.0 * lebar / tinggi
    pdf.image(io.BytesIO(png), x=(148 - w) / 2, y=10, w=w, h=h)
    return bytes(pdf.output())
