"""Event handlers that prompt officials on Telegram and send the pemohon the tanda terima.

They run inside the command's transaction (MessageBus), so a prompt exists if and only
if the change that caused it was committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.officials.prompts import (
    holders,
    kirim_prompt,
    open_prompts,
    ringkasan_permohonan,
    tautan_berkas,
    tombol_cepat,
    tutup_prompt,
)
from bot.scheduler import jadwalkan_pengingat
from domain import events as e
from domain.konteks import fmt_waktu, kabari_petugas, kanal_kabar
from domain.penerima import disebut, koordinator, penerima_cs, penerima_jabatan, penerima_pengaduan
from domain.status import LABEL, Status
from storage.files import ext_of

if TYPE_CHECKING:
    from bot.bootstrap import Container


def _today(c: Container, uow: Any) -> Any:
    return c.clock.now().astimezone(c.profil(uow.kantor_id).kalender.tz).date()


def _is_audiensi(c: Container, p: Any) -> bool:
    return bool(c.katalog_of(p.kantor_id).resolve(p.layanan).pilih_pejabat)


def pasang(c: Container) -> Container:
    """Attach the officials' event handlers (prompts, reminders) to the container's bus.

    Every process that changes items does this — `ptsp serve`, `ptsp shell` and
    `ptsp-admin` — so a walk-in entered at the counter reaches the same officials' prompts
    as a WhatsApp submission; the prompts wait in the outbox for `ptsp serve` to send.
    """
    if not c.extras.get("petugas_terpasang"):
        for event, handlers in make_handlers(c).items():
            c.bus.event_handlers.setdefault(event, []).extend(handlers)
        c.extras["petugas_terpasang"] = True
    return c


def make_handlers(c: Container) -> dict[type, list[Callable[..., None]]]:
    """The officials' handlers, keyed by event type, to add to the message bus."""

    def prompt_holders(uow: Any, nomor: str, jenis: str, judul_key: str) -> None:
        p = uow.permohonan.get(nomor)
        if p is None:
            return
        profil = c.profil(p.kantor_id)
        today = _today(c, uow)
        tujuan = penerima_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), p.pemegang,
                                  today)
        judul = c.pesan(judul_key)
        if tujuan.kosong:  # nobody holds it: the koordinator gets it, and is told why
            judul = c.pesan("tg_jabatan_kosong", jabatan=profil.nama_jabatan(tujuan.kosong)
                            ) + "\n" + judul
        kirim_prompt(c, uow, jenis=jenis, nomor=nomor, judul=judul,
                     isi=ringkasan_permohonan(c, uow, p), penerima=list(tujuan.petugas),
                     extra=tombol_cepat(c, uow, p, jenis))
        jadwalkan_pengingat(c, uow, p)

    def on_diajukan(ev: e.PermohonanDiajukan, uow: Any, ctx: Any) -> None:
        p = uow.permohonan.get(ev.nomor)
        if p is not None:
            prompt_periksa(uow, p)

    def prompt_periksa(uow: Any, p: Any) -> None:
        lay = c.katalog_of(p.kantor_id).resolve(p.layanan)
        checklist = "\n".join(f"☐ {r.nama}" for r in lay.persyaratan)
        tujuan = penerima_cs(uow.petugas.list(), str(lay.desk))
        judul = c.pesan("tg_prompt_periksa")
        if tujuan.kosong:
            judul = c.pesan("tg_jabatan_kosong", jabatan="CS/Front Office") + "\n" + judul
        kirim_prompt(c, uow, jenis="periksa", nomor=p.nomor, judul=judul,
                     isi=ringkasan_permohonan(c, uow, p) + "\n\nPersyaratan:\n" + checklist,
                     penerima=list(tujuan.petugas))
        jadwalkan_pengingat(c, uow, p)

    def on_status(ev: e.StatusBerubah, uow: Any, ctx: Any) -> None:
        for row in open_prompts(uow, ev.nomor):
            tutup_prompt(uow, row, ev.oleh, f"status kini {LABEL[Status(ev.ke)]}")
        p = uow.permohonan.get(ev.nomor)
        if p is None:
            return
        audiensi = _is_audiensi(c, p)
        if ev.dari == Status.MENUNGGU and ev.ke in (Status.KONFIRMASI, Status.PROSES):
            kirim_tanda_terima(c, uow, p)
        if ev.ke == Status.MENUNGGU:  # the missing documents arrived: check again
            prompt_periksa(uow, p)
        elif ev.ke == Status.KONFIRMASI:
            prompt_holders(uow, p.nomor, "konfirmasi", "tg_prompt_konfirmasi")
        elif ev.ke == Status.PROSES and ev.dari != Status.KONFIRMASI:
            # from konfirmasi the disposisi event prompts the new holder
            prompt_holders(uow, p.nomor, "proses_audiensi" if audiensi else "proses",
                           "tg_prompt_proses")
        elif ev.ke == Status.SELESAI:
            if p.data.get("hasil"):
                kirim_salinan_hasil(c, uow, p)
            prompt_holders(uow, p.nomor, "selesai_audiensi" if audiensi else "selesai",
                           "tg_prompt_selesai")

    def on_disposisi(ev: e.Didisposisikan, uow: Any, ctx: Any) -> None:
        p = uow.permohonan.get(ev.nomor)
        if p is None:
            return
        for row in open_prompts(uow, ev.nomor):
            tutup_prompt(uow, row, ev.oleh or c.profil(p.kantor_id).nama_jabatan(ev.dari),
                         f"didisposisikan ke {c.profil(p.kantor_id).nama_jabatan(ev.ke)}")
        audiensi = _is_audiensi(c, p)
        prompt_holders(uow, p.nomor, "proses_audiensi" if audiensi else "proses",
                       "tg_prompt_disposisi")

    def isi_pengaduan(uow: Any, a: Any) -> str:
        """The complaint as officials see it; an anonymous reporter stays hidden."""
        pelapor = "(anonim)" if a.anonim else _nama_pelapor(uow, a.pelapor_id)
        isi = c.pesan("tg_isi_pengaduan", nomor=a.nomor, kategori=a.kategori, pelapor=pelapor,
                      teks=a.teks, lampiran=len(a.berkas),
                      tenggat=fmt_waktu(a.tenggat, c.profil(a.kantor_id).timezone))
        if a.nomor_terkait:
            isi += f"\nTerkait: {a.nomor_terkait}"
        return "\n".join([isi, *tautan_berkas(c, a.berkas)])

    def on_pengaduan(ev: e.PengaduanDiterima, uow: Any, ctx: Any) -> None:
        a = uow.pengaduan.get(ev.nomor)
        if a is None:
            return
        semua = uow.petugas.list()
        kirim_prompt(c, uow, jenis="pengaduan", nomor=a.nomor,
                     judul=c.pesan("tg_prompt_pengaduan"), isi=isi_pengaduan(uow, a),
                     penerima=list(penerima_pengaduan(semua, a).petugas))
        if a.anonim:  # hidden from staff, except the koordinator
            for p in koordinator(semua):
                kabari_petugas(uow, p, c.pesan("tg_identitas_pelapor", nomor=a.nomor,
                                               pelapor=_nama_pelapor(uow, a.pelapor_id)))
        cfg = next(k for k in c.settings.kantor if k.kode == c.profil(a.kantor_id).kode)
        if a.topik == "pungli_gratifikasi" and cfg.apip_telegram_chat_id:
            uow.outbox.add("telegram", str(cfg.apip_telegram_chat_id), {
                "text": c.pesan("tg_tembusan_apip") + "\n\n" + isi_pengaduan(uow, a)})

    def on_info_dijawab(ev: e.InfoDijawab, uow: Any, ctx: Any) -> None:
        p = uow.permohonan.get(ev.nomor)
        if p is None:
            return
        text = c.pesan("tg_info_dijawab", nomor=p.nomor, jawaban=ev.jawaban)
        for petugas in holders(uow, p.pemegang, _today(c, uow)):
            kabari_petugas(uow, petugas, text)

    def on_jadwal(ev: e.JadwalDitanggapi, uow: Any, ctx: Any) -> None:
        p = uow.permohonan.get(ev.nomor)
        if p is None:
            return
        if ev.hadir:
            text = c.pesan("tg_jadwal_hadir", nomor=p.nomor)
            for petugas in holders(uow, p.pemegang, _today(c, uow)):
                kabari_petugas(uow, petugas, text)
            return
        for row in open_prompts(uow, ev.nomor):
            tutup_prompt(uow, row, "Pemohon", "pemohon meminta jadwal lain")
        kirim_prompt(c, uow, jenis="selesai_audiensi", nomor=p.nomor,
                     judul=c.pesan("tg_jadwal_minta_ubah", nomor=p.nomor,
                                   catatan=ev.catatan or "-"),
                     isi=ringkasan_permohonan(c, uow, p),
                     penerima=holders(uow, p.pemegang, _today(c, uow)))

    def on_diteruskan(ev: e.PengaduanDiteruskan, uow: Any, ctx: Any) -> None:
        a = uow.pengaduan.get(ev.nomor)
        if a is None:
            return
        penerima = [p for p in holders(uow, ev.ke, _today(c, uow))
                    if not disebut(p, a.teks)]  # never to the one it names
        isi = isi_pengaduan(uow, a)
        if ev.catatan:
            isi += f"\nCatatan: {ev.catatan}"
        kirim_prompt(c, uow, jenis="pengaduan_pejabat", nomor=a.nomor,
                     judul=c.pesan("tg_prompt_pengaduan_diteruskan"), isi=isi, penerima=penerima)

    def on_ambang(ev: e.AmbangTopikTercapai, uow: Any, ctx: Any) -> None:
        profil = c.profil(ev.kantor_id)
        text = c.pesan("tg_ambang_topik", topik=profil.topik.get(ev.topik, ev.topik),
                       jumlah=ev.jumlah, bulan=ev.bulan)
        for p in koordinator(uow.petugas.list()):
            kabari_petugas(uow, p, text)

    def on_tamu(ev: e.TamuTerdaftar, uow: Any, ctx: Any) -> None:
        """The host (the holders of the jabatan, or the koordinator) answers the guest."""
        from domain.tamu import teks_tuan_rumah

        t = uow.tamu.get(ev.nomor)
        if t is None:
            return
        today = _today(c, uow)
        tujuan = penerima_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), t.tujuan,
                                  today)
        judul = c.pesan("tg_prompt_tamu")
        if tujuan.kosong:
            judul = c.pesan("tamu_jabatan_kosong", jabatan=c.profil(t.kantor_id).nama_jabatan(
                tujuan.kosong)) + "\n" + judul
        kirim_prompt(c, uow, jenis="tamu", nomor=t.nomor, judul=judul,
                     isi=teks_tuan_rumah(ctx, t), penerima=list(tujuan.petugas))

    def on_tamu_dijawab(ev: e.TamuDijawab, uow: Any, ctx: Any) -> None:
        """Every host's copy of the prompt shows the answer and who gave it."""
        from bot.officials.tamu import STATUS

        for row in open_prompts(uow, ev.nomor):
            tutup_prompt(uow, row, ev.oleh, STATUS.get(ev.jawaban, ev.jawaban))

    def on_surat(ev: e.SuratDidisposisi, uow: Any, ctx: Any) -> None:
        """The letter's new holders get its prompt; the previous holder's copies close."""
        from bot.officials.surat import ringkasan_surat
        from domain.surat import cari_surat

        s = cari_surat(uow, ev.kunci, 0)
        profil = c.profil(s.kantor_id)
        for row in open_prompts(uow, ev.kunci):
            tutup_prompt(uow, row, ev.oleh, "Didisposisikan ke " + profil.nama_jabatan(ev.ke))
        today = _today(c, uow)
        tujuan = penerima_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), ev.ke, today)
        judul = c.pesan("tg_prompt_surat")
        if tujuan.kosong:
            judul = c.pesan("tg_jabatan_kosong", jabatan=profil.nama_jabatan(tujuan.kosong)
                            ) + "\n" + judul
        kirim_prompt(c, uow, jenis="surat", nomor=ev.kunci, judul=judul,
                     isi=ringkasan_surat(c, s), penerima=list(tujuan.petugas))

    def on_surat_selesai(ev: e.SuratSelesai, uow: Any, ctx: Any) -> None:
        for row in open_prompts(uow, ev.kunci):
            tutup_prompt(uow, row, ev.oleh, "Selesai ditindaklanjuti")

    return {
        e.SuratDidisposisi: [on_surat],
        e.SuratSelesai: [on_surat_selesai],
        e.TamuTerdaftar: [on_tamu],
        e.TamuDijawab: [on_tamu_dijawab],
        e.AmbangTopikTercapai: [on_ambang],
        e.PengaduanDiteruskan: [on_diteruskan],
        e.JadwalDitanggapi: [on_jadwal],
        e.InfoDijawab: [on_info_dijawab],
        e.PermohonanDiajukan: [on_diajukan],
        e.StatusBerubah: [on_status],
        e.Didisposisikan: [on_disposisi],
        e.PengaduanDiterima: [on_pengaduan],
    }


def _nama_pelapor(uow: Any, pelapor_id: int | None) -> str:
    p = uow.pemohon.get(pelapor_id) if pelapor_id else None
    return f"{p.nama} ({p.hp})" if p else "-"


def kirim_tanda_terima(c: Container, uow: Any, p: Any) -> None:
    """The receipt image with the estimated completion, on the pemohon's channel."""
    from bot.media_route import media_url
    from bot.receipt import data_tanda_terima, render_tanda_terima

    kanal = kanal_kabar(uow, p.pengaju_id)
    if kanal is None:
        return
    data = data_tanda_terima(c, uow, p, c.clock.now())
    key = c.settings.signing_key()
    png = render_tanda_terima(data, key)
    sha = c.extras["files"].put(png, "png")
    url = media_url(c.settings.public_url, sha, "png", key, now=c.clock.now())
    text = c.pesan("tanda_terima", nomor=p.nomor, perkiraan=data.perkiraan_selesai, url=url)
    uow.outbox.add(kanal[0], kanal[1], {"text": text, "media": [url]})


def kirim_salinan_hasil(c: Container, uow: Any, p: Any) -> None:
    """The result document as an information copy, by a signed, expiring link."""
    from bot.media_route import media_url

    kanal = kanal_kabar(uow, p.pengaju_id)
    if kanal is None:
        return
    nama = p.data["hasil"]["nama"]
    ext = ext_of(nama, "pdf")
    url = media_url(c.settings.public_url, p.data["hasil"]["sha256"], ext,
                    c.settings.signing_key(), now=c.clock.now())
    uow.outbox.add(kanal[0], kanal[1], {"text": c.pesan("salinan_hasil", nomor=p.nomor, url=url),
                                        "media": [url]})
