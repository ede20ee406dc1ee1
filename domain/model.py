"""The office's model in its own words: Pemohon, Petugas, Permohonan, Disposisi, Pengaduan,
SurveiSKM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from domain import events
from domain.errors import InvalidTransition, SyaratTidakTerpenuhi, TidakBerwenang
from domain.status import BUTUH_ALASAN, MOVES, Peran, Status


class Role(StrEnum):
    CS = "cs"
    BO = "bo"
    KOORDINATOR = "koordinator"
    PEJABAT = "pejabat"
    ARSIPARIS = "arsiparis"
    ADMIN = "admin"


TUGAS = ("layanan", "surat", "aduan_skm")


@dataclass(frozen=True)
class Aktor:
    """Who acts: a pemohon, a petugas (with the jabatan they hold now) or the system."""

    jenis: Literal["pemohon", "petugas", "sistem"]
    nama: str
    id: int | None = None
    role: str | None = None
    jabatan: frozenset[str] = frozenset()
    # jabatan held only by delegation (Plt/Plh), recorded as "a.n." in the timeline
    jabatan_plt: frozenset[str] = frozenset()

    @classmethod
    def sistem(cls) -> Aktor:
        return cls(jenis="sistem", nama="Sistem")

    def label(self) -> str:
        if self.jenis == "petugas":
            return f"{self.nama} ({self.role})"
        return self.nama


@dataclass
class Pemohon:
    kantor_id: int
    nama: str
    hp: str
    nik: str | None = None
    jenis: Literal["perorangan", "instansi"] = "perorangan"
    instansi: str | None = None
    alamat: str | None = None
    persetujuan_at: datetime | None = None
    id: int | None = None
    # "STOP": since then no notification the office starts reaches them ("MULAI" resumes)
    notifikasi_berhenti: datetime | None = None
    hapus_diminta: datetime | None = None  # asked on chat to delete their data
    dihapus: datetime | None = None  # anonymised by the koordinator


@dataclass
class Delegasi:
    """Plt/Plh: a jabatan's prompts go to another petugas until a date."""

    jabatan: str
    petugas_id: int
    sampai: date
    id: int | None = None


@dataclass
class Petugas:
    kantor_id: int
    nama: str
    role: Role
    jabatan: str | None = None
    tugas: tuple[str, ...] = ()
    aktif: bool = True
    telegram_user_id: int | None = None
    kode_tautan: str | None = None
    kode_kedaluwarsa: datetime | None = None
    id: int | None = None

    def aktor(self, delegasi: list[Delegasi] = (), hari_ini: date | None = None) -> Aktor:
        """The petugas as an actor, with jabatan delegated to them still in force."""
        plt = frozenset(
            d.jabatan
            for d in delegasi
            if d.petugas_id == self.id and (hari_ini is None or d.sampai >= hari_ini)
        )
        own = frozenset({self.jabatan}) if self.jabatan else frozenset()
        return Aktor(
            jenis="petugas", nama=self.nama, id=self.id, role=str(self.role),
            jabatan=own | plt, jabatan_plt=plt - own,
        )


@dataclass
class Berkas:
    nama: str
    mime: str
    bytes: int
    sha256: str
    persyaratan: str | None = None
    diunggah: datetime | None = None


@dataclass
class Riwayat:
    waktu: datetime
    status: str
    oleh: str
    catatan: str | None = None
    dari: str | None = None


@dataclass
class Disposisi:
    dari_jabatan: str
    ke_jabatan: str
    instruksi: str
    waktu: datetime
    oleh: str
    catatan: str | None = None
    dibuka: datetime | None = None
    ditindak: datetime | None = None
    id: int | None = None


INSTRUKSI = {
    "tanggapan": "Tanggapan dan saran",
    "proses": "Proses lebih lanjut",
    "koordinasi": "Koordinasikan",
    "diketahui": "Untuk diketahui",
}


@dataclass
class Permohonan:
    kantor_id: int
    nomor: str
    layanan: str
    pengaju_id: int
    atas_nama: str
    diajukan: datetime
    status: Status = Status.MENUNGGU
    pemegang: str | None = "cs"
    konfirmator: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    checklist: dict[str, bool] = field(default_factory=dict)
    berkas: list[Berkas] = field(default_factory=list)
    riwayat: list[Riwayat] = field(default_factory=list)
    disposisi: list[Disposisi] = field(default_factory=list)
    menunggu_pemohon: bool = False
    sla_tenggat: datetime | None = None
    sla_jeda_sejak: datetime | None = None
    sla_mulai: datetime | None = None
    id: int | None = None
    events: list[Any] = field(default_factory=list, repr=False, compare=False)

    def peran(self, aktor: Aktor) -> frozenset[Peran]:
        """The table's roles this actor plays for this permohonan."""
        if aktor.jenis == "sistem":
            return frozenset({Peran.SISTEM})
        if aktor.jenis == "pemohon":
            return frozenset({Peran.PEMOHON}) if aktor.id == self.pengaju_id else frozenset()
        if aktor.role == Role.ADMIN:
            return frozenset(Peran) - {Peran.SISTEM}
        out: set[Peran] = set()
        if aktor.role == Role.CS:
            out.add(Peran.CS)
        if aktor.role == Role.BO:
            out.add(Peran.BO)
        if aktor.role == Role.ARSIPARIS:
            out.add(Peran.ARSIPARIS)
        if self.pemegang and (self.pemegang in aktor.jabatan or self.pemegang == aktor.role):
            out.add(Peran.PEMEGANG)
        if self.status == Status.KONFIRMASI and self.konfirmator in aktor.jabatan:
            out.add(Peran.KONFIRMATOR)
        return frozenset(out)

    def transition_to(
        self, ke: Status, *, by: Aktor, at: datetime, catatan: str | None = None,
        pemegang: str | None = None,
    ) -> None:
        """Move to `ke` if the table allows it for `by`; record who, when and why."""
        dari = self.status
        allowed = MOVES.get((dari, ke))
        if allowed is None:
            raise InvalidTransition(dari, ke)
        if not (allowed & self.peran(by)):
            raise TidakBerwenang(
                f"{by.label()} tidak berwenang mengubah status {dari} → {ke} untuk {self.nomor}"
            )
        if (dari, ke) in BUTUH_ALASAN and not (catatan and catatan.strip()):
            raise SyaratTidakTerpenuhi("alasan/catatan wajib diisi untuk perubahan ini")
        sebagai = self.pemegang  # the jabatan whose power is used, before it moves on
        self.status = ke
        if pemegang is not None:
            self.pemegang = pemegang
        oleh = by.label()
        if by.jenis == "petugas" and sebagai in by.jabatan_plt:
            oleh = f"{oleh} a.n. {sebagai}"
        elif by.role == Role.ADMIN and by.jenis == "petugas":
            oleh = f"{oleh} atas nama pihak lain"
        self.riwayat.append(Riwayat(waktu=at, status=ke, oleh=oleh, catatan=catatan, dari=dari))
        self.events.append(
            events.StatusBerubah(
                nomor=self.nomor, kantor_id=self.kantor_id, dari=dari, ke=ke,
                oleh=oleh, catatan=catatan, waktu=at,
            )
        )

    @property
    def checklist_lengkap(self) -> bool:
        return bool(self.checklist) and all(self.checklist.values())


@dataclass
class Pengaduan:
    kantor_id: int
    nomor: str
    kategori: str
    teks: str
    diterima: datetime
    pelapor_id: int | None = None
    anonim: bool = False
    nomor_terkait: str | None = None
    tier: str = "belum_ditentukan"
    topik: str | None = None
    status: str = "diterima"
    tenggat: datetime | None = None
    berkas: list[Berkas] = field(default_factory=list)
    riwayat: list[Riwayat] = field(default_factory=list)
    diteruskan_ke: tuple[str, ...] = ()  # jabatan whose holders may answer and close it
    kanal: str = "whatsapp"  # how it was received (the log book's column)
    id: int | None = None
    events: list[Any] = field(default_factory=list, repr=False, compare=False)


KATEGORI_PENGADUAN = ("pengaduan", "aspirasi", "permintaan_informasi")
TIER_PENGADUAN = (
    "belum_ditentukan", "ringan", "normatif", "tidak_berkadar_pengawasan", "berkadar_pengawasan",
)
STATUS_PENGADUAN = (
    "diterima", "diverifikasi", "diteruskan", "ditindaklanjuti", "selesai", "ditolak",
)


@dataclass
class SurveiSKM:
    kantor_id: int
    tanggal: date
    nilai: tuple[int, ...]
    layanan: str | None = None
    nomor: str | None = None
    sumber: Literal["whatsapp", "kertas", "sandbox"] = "whatsapp"
    id: int | None = None


@dataclass
class Antrian:
    """A queue number at a loket for one day: `A-007`."""

    kantor_id: int
    loket: str
    tanggal: date
    urut: int
    kanal: str | None = None
    kanal_id: str | None = None
    status: str = "menunggu"
    dipanggil_at: datetime | None = None
    id: int | None = None

    @property
    def nomor(self) -> str:
        return f"{self.loket}-{self.urut:03d}"


@dataclass(frozen=True)
class RingkasanPermohonan:
    """A permohonan without its files, timeline and disposisi: for lists and checks."""

    nomor: str
    layanan: str
    status: Status
    pemegang: str | None
    pengaju_id: int
    diajukan: datetime
    menunggu_pemohon: bool
    data: dict[str, Any]
    sla_tenggat: datetime | None
    sla_jeda_sejak: datetime | None


@dataclass
class Prompt:
    """A question to officials about one item, with buttons; its `kode` is in their callbacks.

    `penerima` maps a petugas id to the outbox id of their copy (0: not linked yet, their
    copy follows when they link); `pesan` is the message as first sent, with private
    keys (starting with `_`) that are never shown.
    """

    kode: str
    jenis: str
    nomor: str
    pesan: dict[str, Any]
    penerima: dict[str, int] = field(default_factory=dict)
    status: str = "open"
    created_at: datetime | None = None
    done_at: datetime | None = None
    done_by: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class PesanKeluar:
    """A message in the outbox, as the officials' side needs to find it again."""

    id: int
    channel: str
    recipient: str
    message: dict[str, Any]
    provider_id: str | None = None
