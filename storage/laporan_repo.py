"""The reports' aggregations (`uow.laporan`): GROUP BY and window functions in SQL.

Every query is filtered by the office's `kantor_id` and returns small cubes (counts per
layanan × status × SLA state, and so on); the domain (`domain.laporan`) sums them into
the tables people read. The root-cause actions of the complaint log book live here too
(table `akar_masalah`), imported at the end of `storage.tables`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from domain.kalender import JamKerja
from domain.laporan import (
    STATUS_PENYELESAIAN,
    AkarMasalah,
    LaporanRepository,
    SelKinerja,
    SelPengaduan,
    SelPenyelesaian,
    SelPermohonan,
    SelSkm,
)
from storage.tables import (
    PengaduanRow,
    PermohonanRow,
    RiwayatRow,
    SurveiSkmRow,
    UTCDateTime,
    _dt,
)


class AkarMasalahRow(SQLModel, table=True):
    """Seed 002: the action taken on the cause of a topic's complaints in a month."""

    __tablename__ = "akar_masalah"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    bulan: str = Field(max_length=7)
    topik: str = Field(max_length=64)
    tindakan: str
    diberitahu: str
    oleh: str
    waktu: datetime = _dt()


_BERHENTI = ("selesai", "tidak_sesuai", "ditolak", "diserahkan", "diarsipkan")
_TUTUP_ADUAN = ("selesai", "ditolak")
_BUKAN_PETUGAS = ("Pemohon", "Sistem")


def _t(value: datetime) -> sa.BindParameter:
    return sa.literal(value, UTCDateTime)


class SqlLaporanRepository(LaporanRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id
        self._pg = session.get_bind().dialect.name == "postgresql"

    def _sla(self, now: datetime) -> sa.Case:
        p = PermohonanRow
        return sa.case(
            (p.sla_tenggat.is_(None) | (p.status == "dibatalkan"), "tanpa"),  # type: ignore
            (p.status.in_(_BERHENTI) & p.sla_jeda_sejak.is_not(None),  # type: ignore
             sa.case((p.sla_jeda_sejak <= p.sla_tenggat, "tepat"), else_="terlambat")),
            (p.status.in_(_BERHENTI), "tanpa"),  # type: ignore[attr-defined]
            (p.sla_jeda_sejak.is_not(None),  # type: ignore[union-attr]
             sa.case((p.sla_jeda_sejak > p.sla_tenggat, "lewat"), else_="berjalan")),
            (p.sla_tenggat < _t(now), "lewat"),
            else_="berjalan")

    def permohonan(self, mulai: datetime, akhir: datetime, now: datetime
                   ) -> list[SelPermohonan]:
        p = PermohonanRow
        sla = self._sla(now).label("sla")
        q = (sa.select(p.layanan, p.status, sla, sa.func.count())
             .where(p.kantor_id == self.kantor_id, p.diajukan >= _t(mulai),
                    p.diajukan < _t(akhir))
             .group_by(p.layanan, p.status, sla))
        return [SelPermohonan(lay, st, s, n) for lay, st, s, n in self.s.execute(q)]

    def permohonan_per_bulan(self, bulan: list[tuple[datetime, datetime]]
                             ) -> dict[int, dict[str, int]]:
        p = PermohonanRow
        idx = sa.case(*[((p.diajukan >= _t(a)) & (p.diajukan < _t(b)), i)
                        for i, (a, b) in enumerate(bulan)], else_=-1).label("i")
        q = (sa.select(idx, p.layanan, sa.func.count())
             .where(p.kantor_id == self.kantor_id, p.diajukan >= _t(bulan[0][0]),
                    p.diajukan < _t(bulan[-1][1]))
             .group_by(idx, p.layanan))
        out: dict[int, dict[str, int]] = {i: {} for i in range(len(bulan))}
        for i, lay, n in self.s.execute(q):
            if i >= 0:
                out[i][lay] = n
        return out

    def _penyelesaian(self, mulai: datetime, akhir: datetime) -> sa.Subquery:
        """The first finishing step of each permohonan, when it falls in the period. The
        life cycle leaves a finished item only by a reopening (selesai → proses), so a
        finishing step is the first one unless a reopening came before it."""
        r, r2 = RiwayatRow, sa.orm.aliased(RiwayatRow)
        dibuka_lagi = (sa.select(r2.id).where(
            r2.kantor_id == self.kantor_id, r2.status == "proses", r2.dari == "selesai",
            r2.waktu < _t(akhir), r2.permohonan_id == r.permohonan_id, r2.urut < r.urut))
        return (sa.select(r.permohonan_id, r.waktu, r.oleh)
                .where(r.kantor_id == self.kantor_id,
                       r.status.in_(STATUS_PENYELESAIAN),  # type: ignore[attr-defined]
                       r.waktu >= _t(mulai), r.waktu < _t(akhir),
                       r.permohonan_id.is_not(None),  # type: ignore[union-attr]
                       ~dibuka_lagi.exists())
                .subquery())

    def penyelesaian(self, mulai: datetime, akhir: datetime) -> list[SelPenyelesaian]:
        p, f = PermohonanRow, self._penyelesaian(mulai, akhir)
        tepat = sa.case((p.sla_tenggat.is_(None), None),  # type: ignore[union-attr]
                        (f.c.waktu <= p.sla_tenggat, 1), else_=0).label("tepat")
        q = (sa.select(p.layanan, p.pemegang, f.c.oleh, tepat, sa.func.count())
             .join(f, f.c.permohonan_id == p.id)
             .group_by(p.layanan, p.pemegang, f.c.oleh, tepat))
        return [SelPenyelesaian(lay, peg, oleh, None if t is None else bool(t), n)
                for lay, peg, oleh, t, n in self.s.execute(q)]

    def _epoch_ms(self, col: Any) -> Any:
        """A stored moment as integer epoch milliseconds (SQLite keeps UTC text)."""
        if self._pg:
            # date_part is double precision (EXTRACT is numeric, several times slower)
            return sa.cast(sa.func.floor(sa.func.date_part("epoch", col) * 1000), sa.BigInteger)
        return sa.cast(sa.func.round((sa.func.julianday(col) - 2440587.5) * 86_400_000.0),
                       sa.Integer)

    def _jam_kerja(self, jam: JamKerja) -> tuple[Any, int]:
        """The layout as a table of integer literals (generated here, never user input):
        hari, kum (working ms before the day), s0, e0, s1, e1, … (a closed day or a
        shorter one padded with empty ranges); VALUES names its columns column1, … on
        both SQLite and PostgreSQL."""
        n = max(jam.rentang_per_hari, 1)
        kolom = ["hari", "kum"] + [f"{x}{i}" for i in range(n) for x in ("s", "e")]
        baris = []
        for h in jam.hari:
            ujung = h.rentang[-1][1] if h.rentang else h.hari * 86_400_000 - jam.offset_ms
            rentang = list(h.rentang) + [(ujung, ujung)] * (n - len(h.rentang))
            nilai = [h.hari, h.sebelum_ms] + [v for se in rentang for v in se]
            baris.append("(" + ", ".join(str(int(v)) for v in nilai) + ")")
        pilih = ", ".join(f"column{i + 1} AS {k}" for i, k in enumerate(kolom))
        teks = sa.text(f"SELECT {pilih} FROM (VALUES {', '.join(baris)}) AS v")
        return teks.columns(*(sa.column(k, sa.BigInteger) for k in kolom)).subquery(), n

    def kinerja(self, mulai: datetime, akhir: datetime, jam: JamKerja) -> list[SelKinerja]:
        r, p = RiwayatRow, PermohonanRow
        if self._pg:
            # one report query over a period's steps: sort in memory, no JIT compile
            self.s.execute(sa.text("SET LOCAL work_mem = '64MB'"))
            self.s.execute(sa.text("SET LOCAL jit = off"))
        cal, n = self._jam_kerja(jam)
        ca, cb = cal.alias("ca"), cal.alias("cb")
        tepat = sa.case((p.sla_tenggat.is_(None), None),  # type: ignore[union-attr]
                        (r.waktu <= p.sla_tenggat, 1), else_=0)
        hari_ms = sa.literal_column("86400000", sa.BigInteger)
        # each step's moments in epoch ms, computed once (OFFSET 0 keeps PostgreSQL from
        # pulling the subquery up and evaluating them again in every expression below)
        st = (sa.select(r.oleh, r.permohonan_id, r.sejak, tepat.label("tepat"),
                        self._epoch_ms(r.sejak).label("a"), self._epoch_ms(r.waktu).label("b"))
              .join(p, p.id == r.permohonan_id)
              .where(r.kantor_id == self.kantor_id, p.kantor_id == self.kantor_id,
                     r.waktu >= _t(mulai), r.waktu < _t(akhir),
                     r.sejak.is_not(None),  # type: ignore[union-attr]
                     r.oleh.not_in(_BUKAN_PETUGAS))  # type: ignore[attr-defined]
              .offset(0).subquery("st"))

        def sampai(c: Any, t: Any) -> Any:  # working ms of the layout up to t
            total = c.c.kum
            for i in range(n):
                s_, e_ = c.c[f"s{i}"], c.c[f"e{i}"]
                total = total + sa.case((t <= s_, 0), (t >= e_, e_ - s_), else_=t - s_)
            return total

        def hari(t: Any) -> Any:
            return (t + jam.offset_ms) // hari_ms

        a, b = st.c.a, st.c.b
        menit = sa.case((b <= a, 0),
                        else_=(sampai(cb, b) - sa.func.coalesce(sampai(ca, a), 0)) // 60_000)
        m = (sa.select(st.c.oleh, st.c.permohonan_id, st.c.sejak, st.c.tepat,
                       menit.label("menit"))
             .select_from(st)
             .join(cb, cb.c.hari == hari(b))
             .outerjoin(ca, ca.c.hari == hari(a))
             .subquery("m"))
        if self._pg:
            u, median = m, sa.func.percentile_cont(0.5).within_group(m.c.menit)
        else:  # SQLite has no percentile: the middle one or two of each official's steps
            u = (sa.select(m, sa.func.row_number().over(partition_by=m.c.oleh,
                                                        order_by=m.c.menit).label("ke"),
                           sa.func.count().over(partition_by=m.c.oleh).label("n"))
                 .subquery("u"))
            median = sa.func.avg(sa.case((sa.or_(u.c.ke == (u.c.n + 1) // 2,
                                                 u.c.ke == (u.c.n + 2) // 2), u.c.menit)))
        q = (sa.select(u.c.oleh, sa.func.count(sa.distinct(u.c.permohonan_id)),
                       sa.func.count(), sa.func.sum(u.c.tepat), sa.func.count(u.c.tepat),
                       sa.type_coerce(sa.func.min(u.c.sejak), UTCDateTime), median)
             .group_by(u.c.oleh))
        return [SelKinerja(oleh=oleh, ditangani=dt, langkah=lk,
                           median_menit=None if md is None else float(md),
                           tepat=int(tp or 0), dinilai=dn, sejak_min=smin)
                for oleh, dt, lk, tp, dn, smin, md in self.s.execute(q)]

    def lewat_tenggat(self, now: datetime, limit: int = 2000) -> list[str]:
        p = PermohonanRow
        q = (sa.select(p.nomor).where(
            p.kantor_id == self.kantor_id, p.sla_tenggat.is_not(None),  # type: ignore[union-attr]
            p.sla_tenggat < _t(now), p.sla_jeda_sejak.is_(None),  # type: ignore[union-attr]
            p.menunggu_pemohon.is_(False),  # type: ignore[attr-defined]
            p.status.not_in((*_BERHENTI, "dibatalkan", "dikembalikan")))  # type: ignore
             .order_by(p.diajukan.desc(), p.id.desc()).limit(limit))  # type: ignore[union-attr]
        return list(self.s.execute(q).scalars())

    def pengaduan(self, mulai: datetime, akhir: datetime, now: datetime
                  ) -> list[SelPengaduan]:
        a, r = PengaduanRow, RiwayatRow
        tutup = (sa.select(r.pengaduan_id, sa.func.min(r.waktu).label("waktu"))
                 .where(r.kantor_id == self.kantor_id, r.pengaduan_id.is_not(None),  # type: ignore
                        r.status.in_(_TUTUP_ADUAN))  # type: ignore[attr-defined]
                 .group_by(r.pengaduan_id).subquery())
        tertutup = a.status.in_(_TUTUP_ADUAN)  # type: ignore[attr-defined]
        tepat = sa.case((~tertutup | a.tenggat.is_(None) | tutup.c.waktu.is_(None), None),  # type: ignore
                        (tutup.c.waktu <= a.tenggat, 1), else_=0).label("tepat")
        lewat = sa.case((~tertutup & (a.tenggat < _t(now)), 1), else_=0).label("lewat")
        q = (sa.select(a.kategori, a.tier, a.topik, a.kanal, a.status, tepat, lewat,
                       sa.func.count())
             .outerjoin(tutup, tutup.c.pengaduan_id == a.id)
             .where(a.kantor_id == self.kantor_id, a.diterima >= _t(mulai),
                    a.diterima < _t(akhir))
             .group_by(a.kategori, a.tier, a.topik, a.kanal, a.status, tepat, lewat))
        return [SelPengaduan(k, t, tp, kn, st, None if tp_ is None else bool(tp_), bool(lw), n)
                for k, t, tp, kn, st, tp_, lw, n in self.s.execute(q)]

    def skm(self, dari: date | None, sampai: date | None) -> list[SelSkm]:
        s = SurveiSkmRow
        sums = [sa.func.sum(s.nilai[i].as_integer()) for i in range(9)]  # type: ignore[index]
        q = (sa.select(s.layanan, s.sumber, sa.func.count(), *sums)
             .where(s.kantor_id == self.kantor_id).group_by(s.layanan, s.sumber))
        if dari is not None:
            q = q.where(s.tanggal >= dari)
        if sampai is not None:
            q = q.where(s.tanggal <= sampai)
        return [SelSkm(row[0], row[1], int(row[2]), tuple(int(v or 0) for v in row[3:]))
                for row in self.s.execute(q)]

    def jumlah_tamu(self, dari: date, sampai: date) -> int:
        from storage.tamu_repo import TamuRow

        q = sa.select(sa.func.count()).where(TamuRow.kantor_id == self.kantor_id,
                                             TamuRow.tanggal >= dari, TamuRow.tanggal <= sampai)
        return int(self.s.execute(q).scalar_one())

    def akar_masalah(self, bulan: str) -> list[AkarMasalah]:
        q = (select(AkarMasalahRow).where(AkarMasalahRow.kantor_id == self.kantor_id,
                                          AkarMasalahRow.bulan == bulan)
             .order_by(AkarMasalahRow.id))  # type: ignore[arg-type]
        return [AkarMasalah(r.bulan, r.topik, r.tindakan, r.diberitahu, r.oleh, r.waktu)
                for r in self.s.exec(q)]

    def catat_akar_masalah(self, a: AkarMasalah) -> None:
        self.s.add(AkarMasalahRow(kantor_id=self.kantor_id, bulan=a.bulan, topik=a.topik,
                                  tindakan=a.tindakan, diberitahu=a.diberitahu, oleh=a.oleh,
                                  waktu=a.waktu))
