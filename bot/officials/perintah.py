"""Officials' typed commands: /tugas, /status, /cari, /balas, /tutup, /rekap, /panggil, /batal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.officials.actions import Ctx, _pending
from domain.identitas import normalize_nomor
from domain.konteks import fmt_waktu
from domain.model import Prompt
from domain.pengingat import teks_rekap_harian
from domain.sla import tenggat_berjalan
from domain.status import LABEL
from domain.wewenang import Aksi, ItemKantor

if TYPE_CHECKING:
    from bot.bootstrap import Container


def command(ctx: Ctx, text: str) -> None:
    name, _, rest = text.partition(" ")
    name = name.split("@")[0].lower()
    rest = rest.strip()
    if name in ("/bantuan", "/help"):
        ctx.say(ctx.c.pesan("tg_bantuan"))
    elif name == "/batal":
        pending = _pending(ctx)
        if pending:
            item = pending.pop()
            ctx.say(ctx.c.pesan("tg_dibatalkan", nomor=item["nomor"]))
        else:
            ctx.say(ctx.c.pesan("tg_tidak_ada_tindakan"))
    elif name == "/tugas":
        _tugas(ctx)
    elif name in ("/status", "/cari"):
        _status(ctx, rest)
    elif name == "/balas":
        from bot.officials.aduan import balas

        nomor_raw, _, teks = rest.partition(" ")
        balas(ctx, nomor_raw, teks)
    elif name == "/tutup":
        from bot.officials.aduan import tutup_relay

        tutup_relay(ctx)
    elif name == "/rekap":
        _rekap(ctx)
    elif name == "/panggil":
        kata = rest.split()
        _panggil(ctx, kata[0].upper()[:1] if kata else "",
                 lewati=any(k.lower() in ("lewati", "lewat", "skip") for k in kata[1:]))
    else:
        ctx.say(ctx.c.pesan("tg_perintah_tidak_dikenal") + "\n\n" + ctx.c.pesan("tg_bantuan"))


def salin_tugas(ctx: Ctx) -> list[Prompt]:
    """My open prompts, copying to me those my jabatan holds but that went out before."""
    from bot.officials.prompts import salin_prompt

    rows = ctx.uow.prompt.terbuka()
    me = str(ctx.petugas.id)
    mine = [r for r in rows if me in r.penerima]
    for r in mine:
        if not r.penerima[me]:  # addressed to me before I linked Telegram
            salin_prompt(ctx.uow, r, ctx.petugas)
    for r in rows:
        p = ctx.uow.permohonan.get(r.nomor) if r.nomor.startswith("PTSP") else None
        if r not in mine and p is not None and p.pemegang and (
                p.pemegang in ctx.aktor.jabatan or p.pemegang == ctx.petugas.role):
            salin_prompt(ctx.uow, r, ctx.petugas)
            mine.append(r)
    return mine


def _tugas(ctx: Ctx) -> None:
    mine = salin_tugas(ctx)
    if not mine:
        ctx.say(ctx.c.pesan("tg_tugas_kosong"))
        return
    tz = ctx.profil().timezone
    lines = []
    for r in mine[:20]:
        if r.nomor.startswith("TMU-"):
            t = ctx.uow.tamu.get(r.nomor)
            lines.append(f"• {r.nomor} (tamu {t.nama if t else '-'}) — kunjungan "
                         f"{fmt_waktu(t.waktu if t else None, tz)}")
            continue
        if r.nomor.startswith("ADU-"):
            a = ctx.uow.pengaduan.get(r.nomor)
            tenggat = a.tenggat if a else None
        else:
            p = ctx.uow.permohonan.get(r.nomor) if r.nomor.startswith("PTSP") else None
            tenggat = tenggat_berjalan(p) if p else None
        sisa = _sisa(ctx, tenggat) if tenggat else "-"
        lines.append(f"• {r.nomor} ({r.jenis}) — tenggat {fmt_waktu(tenggat, tz)}; {sisa}")
    ctx.say(ctx.c.pesan("tg_tugas", jumlah=len(mine), daftar="\n".join(lines)))


def _sisa(ctx: Ctx, tenggat: datetime) -> str:
    kal = ctx.profil().kalender
    now = ctx.c.clock.now()
    if tenggat <= now:
        return "LEWAT TENGGAT"
    menit = kal.working_minutes_between(now, tenggat)
    return f"sisa {menit // 60} jam {menit % 60} menit kerja"


def _status(ctx: Ctx, raw: str) -> None:
    """`/status NOMOR`: a permohonan or complaint this official may see (nobody else's)."""
    from bot.officials.prompts import ringkasan_permohonan

    nomor = normalize_nomor(raw or "")
    if nomor and nomor.startswith("ADU-"):
        _status_aduan(ctx, nomor)
        return
    p = ctx.uow.permohonan.get(nomor) if nomor else None
    if p is None or not ctx.boleh(Aksi.LIHAT, p):
        # another office's or another desk's file is answered like one that does not exist
        ctx.say(ctx.c.pesan("tg_nomor_tidak_ada", nomor=nomor or raw or "-"))
        return
    tz = ctx.profil().timezone
    ctx.say(ctx.c.pesan("tg_status", ringkasan=ringkasan_permohonan(ctx.c, ctx.uow, p),
                        status=LABEL[p.status], pemegang=ctx.profil().nama_jabatan(p.pemegang),
                        riwayat=_riwayat(p.riwayat, tz)))


def _riwayat(riwayat: list[Any], tz: str) -> str:
    return "\n".join(f"{fmt_waktu(r.waktu, tz)}: {r.status} — {r.oleh}"
                     + (f" ({r.catatan})" if r.catatan else "") for r in riwayat[-8:])


def _status_aduan(ctx: Ctx, nomor: str) -> None:
    from bot.officials.notify import _nama_pelapor

    a = ctx.uow.pengaduan.get(nomor)
    if a is None or not ctx.boleh(Aksi.ADUAN_LIHAT, a):
        ctx.say(ctx.c.pesan("tg_nomor_tidak_ada", nomor=nomor))
        return
    tz = ctx.profil().timezone
    pelapor = _nama_pelapor(ctx.uow, a.pelapor_id) if ctx.boleh(Aksi.ADUAN_PELAPOR, a) \
        else "(anonim)"
    ctx.say(ctx.c.pesan("tg_status_pengaduan", nomor=a.nomor, kategori=a.kategori, tier=a.tier,
                        pelapor=pelapor, diterima=fmt_waktu(a.diterima, tz),
                        tenggat=fmt_waktu(a.tenggat, tz), status=a.status, teks=a.teks[:500],
                        riwayat=_riwayat(a.riwayat, tz) or "-"))


def _panggil(ctx: Ctx, loket: str, *, lewati: bool = False) -> None:
    from domain.antrian import PanggilAntrian

    if not loket:
        ctx.say(ctx.c.pesan("tg_antrian_format"))
        return
    if not ctx.boleh(Aksi.ANTRIAN, ItemKantor(ctx.uow.kantor_id)):
        ctx.say(ctx.c.pesan("tg_tidak_berwenang", aksi="Panggil antrian", nomor=loket))
        return
    a = ctx.c.bus.handle(PanggilAntrian(ctx.aktor, loket, lewati=lewati), ctx.uow,
                         commit=False)
    nama = ctx.profil().loket.get(loket, loket)
    if a is None:
        ctx.say(ctx.c.pesan("tg_antrian_kosong", loket=nama))
    else:
        ctx.say(ctx.c.pesan("tg_antrian_dipanggil", nomor=a.nomor, loket=nama))


def _rekap(ctx: Ctx) -> None:
    if not ctx.boleh(Aksi.REKAP, ItemKantor(ctx.uow.kantor_id)):
        ctx.say(ctx.c.pesan("tg_khusus_koordinator"))
        return
    ctx.say(rekap_harian(ctx.c, ctx.uow, ctx.c.clock.now()))


def rekap_harian(c: Container, uow: Any, now: datetime) -> str:
    """Today's counts by layanan and status, for the koordinator."""
    return teks_rekap_harian(c.bus.ctx, uow, now)
