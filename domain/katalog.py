"""The service catalog: one standar pelayanan (UU 25/2009 Pasal 21) per layanan.

Pure model. `bot.catalog_loader` reads the YAML files (one per layanan), merges
children with their parent and the office's overrides, validates the result against
these classes and reports any mistake as a `KatalogError` naming file and key.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.errors import DomainError

CATATAN_CONTOH = "contoh — sesuaikan dengan SK/SOP kantor"
"""Caveat shown next to every `status: contoh` item."""

POLA_KODE = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
SATUAN_WAKTU = ("menit_kerja", "jam_kerja", "hari_kerja")
MIME_BERKAS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


class KatalogError(Exception):
    """The catalog is wrong; one line: `berkas: lokasi: pesan`."""

    def __init__(
        self,
        pesan: str,
        *,
        berkas: str | None = None,
        lokasi: str | None = None,
        kode: str | None = None,
    ):
        self.pesan, self.berkas, self.lokasi, self.kode = pesan, berkas, lokasi, kode
        super().__init__(": ".join(p for p in (berkas, lokasi, pesan) if p))

    def dengan_berkas(self, berkas: str) -> KatalogError:
        """The same error, now naming the file it came from."""
        return KatalogError(self.pesan, berkas=berkas, lokasi=self.lokasi, kode=self.kode)


class LayananTidakDikenal(DomainError, KeyError):
    """No layanan with that code in this office's catalog."""

    def __init__(self, kode: str, saran: str | None = None):
        super().__init__(kode)
        self.kode, self.saran = kode, saran

    def __str__(self) -> str:
        if self.saran:
            return f"layanan '{self.kode}' tidak dikenal (maksudnya '{self.saran}'?)"
        return f"layanan '{self.kode}' tidak dikenal"


class JenisPersyaratan(StrEnum):
    DOKUMEN = "dokumen"  # a file the pemohon sends
    PERNYATAAN = "pernyataan"  # a statement the pemohon affirms in the chat
    ASLI_DIBAWA = "asli_dibawa"  # an original shown at the loket


class JenisBerkas(StrEnum):
    PDF = "pdf"
    JPG = "jpg"
    PNG = "png"
    WEBP = "webp"


class StatusKatalog(StrEnum):
    RESMI = "resmi"  # taken from a seed / the office's SK
    CONTOH = "contoh"  # an example the office must adapt


class Desk(StrEnum):
    LAYANAN = "layanan"
    SURAT = "surat"
    ADUAN_SKM = "aduan_skm"


class Penyerahan(StrEnum):
    LOKET = "loket"
    WHATSAPP = "whatsapp"
    KURIR = "kurir"


class MulaiWaktu(StrEnum):
    PENGAJUAN = "pengajuan"  # the clock starts at submission
    CHECKLIST_LENGKAP = "checklist_lengkap"  # ... when the CS marks the checklist complete


Teks = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Daftar = tuple[Teks, ...]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _tanpa_duplikat(nilai: tuple, apa: str) -> tuple:
    lihat: set = set()
    for x in nilai:
        if x in lihat:
            raise ValueError(f"{apa} '{x}' disebut dua kali")
        lihat.add(x)
    return nilai


class Persyaratan(_Model):
    """One checklist item the CS ticks before the permohonan moves on."""

    kode: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    nama: Teks
    jenis: JenisPersyaratan
    wajib: bool = True
    berkas: tuple[JenisBerkas, ...] = Field(default=(), validate_default=True)
    keterangan: str | None = None

    @field_validator("berkas")
    @classmethod
    def _berkas(cls, v: tuple[JenisBerkas, ...], info: ValidationInfo) -> tuple[JenisBerkas, ...]:
        jenis = info.data.get("jenis")
        if jenis is None:
            return v
        if jenis != JenisPersyaratan.DOKUMEN:
            if v:
                raise ValueError("hanya untuk persyaratan jenis dokumen")
            return v
        return _tanpa_duplikat(v, "jenis berkas") if v else tuple(JenisBerkas)

    def terima_mime(self, mime: str) -> bool:
        """Does this item accept a file of that MIME type?"""
        return any(MIME_BERKAS[b] == mime.split(";")[0].strip().lower() for b in self.berkas)


class JangkaWaktu(_Model):
    """The service time standard: exactly one unit, and when the clock starts."""

    menit_kerja: PositiveInt | None = None
    jam_kerja: PositiveInt | None = None
    hari_kerja: PositiveInt | None = None
    mulai: MulaiWaktu = MulaiWaktu.CHECKLIST_LENGKAP
    keterangan: str | None = None

    @model_validator(mode="after")
    def _satu_satuan(self) -> JangkaWaktu:
        terisi = [s for s in SATUAN_WAKTU if getattr(self, s) is not None]
        if len(terisi) != 1:
            ada = f" (terisi: {', '.join(terisi)})" if terisi else ""
            raise ValueError(f"harus tepat satu dari {', '.join(SATUAN_WAKTU)}{ada}")
        return self

    @property
    def satuan(self) -> str:
        """`menit_kerja`, `jam_kerja` or `hari_kerja`."""
        return next(s for s in SATUAN_WAKTU if getattr(self, s) is not None)

    @property
    def jumlah(self) -> int:
        return int(getattr(self, self.satuan))

    def menit(self, menit_per_hari_kerja: int | None = None) -> int:
        """Working minutes; days need the office's day length (the SLA uses the calendar)."""
        if self.menit_kerja is not None:
            return self.menit_kerja
        if self.jam_kerja is not None:
            return self.jam_kerja * 60
        if menit_per_hari_kerja is None:
            raise ValueError("jangka waktu dalam hari kerja: berikan menit_per_hari_kerja")
        return self.jumlah * menit_per_hari_kerja

    @property
    def teks(self) -> str:
        """What the citizen reads: the standard's own wording, else e.g. '3 hari kerja'."""
        if self.keterangan:
            return self.keterangan
        label = {"menit_kerja": "menit", "jam_kerja": "jam kerja", "hari_kerja": "hari kerja"}
        return f"{self.jumlah} {label[self.satuan]}"


class Routing(_Model):
    """Who confirms (`None`: straight to the back office) and who may hold the item."""

    konfirmasi: str | None = None
    disposisi_ke: tuple[Teks, ...] = ()

    @field_validator("disposisi_ke")
    @classmethod
    def _unik(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _tanpa_duplikat(v, "jabatan")

    @property
    def unit_utama(self) -> str | None:
        """The default holder when no official chooses: the first of `disposisi_ke`."""
        return self.disposisi_ke[0] if self.disposisi_ke else None

    def jabatan(self) -> list[tuple[str, str]]:
        """(key path, jabatan code) of every jabatan named here."""
        hasil = [("routing.konfirmasi", self.konfirmasi)] if self.konfirmasi else []
        hasil += [(f"routing.disposisi_ke.{i}", j) for i, j in enumerate(self.disposisi_ke)]
        return hasil


class Layanan(_Model):
    """One catalog item with the 14 components of a standar pelayanan."""

    kode: Annotated[str, Field(pattern=POLA_KODE)]
    nama: Teks
    sinonim: Daftar = ()
    urutan: int = 100
    deskripsi: str | None = None
    status: StatusKatalog
    sumber: Teks
    desk: Desk = Desk.LAYANAN
    pilih_pejabat: bool = False
    # UU 25/2009 Pasal 21, in order
    dasar_hukum: Daftar = Field(min_length=1)
    persyaratan: tuple[Persyaratan, ...]
    prosedur: Daftar = Field(min_length=1)
    jangka_waktu: JangkaWaktu
    biaya: Teks
    produk: Teks
    penyerahan: tuple[Penyerahan, ...] = Field(min_length=1)
    routing: Routing
    sarana: Daftar = Field(min_length=1)
    kompetensi_pelaksana: Daftar = Field(min_length=1)
    pengawasan_internal: Daftar = Field(min_length=1)
    penanganan_pengaduan: Daftar = Field(min_length=1)
    jumlah_pelaksana: Teks
    jaminan_pelayanan: Daftar = Field(min_length=1)
    jaminan_keamanan: Daftar = Field(min_length=1)
    evaluasi_kinerja: Daftar = Field(min_length=1)

    @field_validator("persyaratan")
    @classmethod
    def _kode_syarat_unik(cls, v: tuple[Persyaratan, ...]) -> tuple[Persyaratan, ...]:
        _tanpa_duplikat(tuple(p.kode for p in v), "kode persyaratan")
        return v

    @field_validator("penyerahan")
    @classmethod
    def _penyerahan_unik(cls, v: tuple[Penyerahan, ...]) -> tuple[Penyerahan, ...]:
        return _tanpa_duplikat(v, "cara penyerahan")

    @property
    def induk(self) -> str | None:
        """The parent's code (`legalisir` for `legalisir.ijazah`), or None."""
        return self.kode.rpartition(".")[0] or None

    @property
    def is_contoh(self) -> bool:
        return self.status == StatusKatalog.CONTOH

    @property
    def catatan(self) -> str | None:
        """The caveat to show with this item, if it is only an example."""
        return CATATAN_CONTOH if self.is_contoh else None

    @property
    def persyaratan_wajib(self) -> tuple[Persyaratan, ...]:
        return tuple(p for p in self.persyaratan if p.wajib)

    def syarat(self, kode: str) -> Persyaratan | None:
        return next((p for p in self.persyaratan if p.kode == kode), None)


def normalisasi(teks: str) -> str:
    """Lower case, single spaces, `_`/`-` as spaces: the form names are compared in."""
    return " ".join(re.sub(r"[_\-]+", " ", teks.lower()).split())


class Katalog(Mapping[str, Layanan]):
    """An office's validated catalog, keyed by code, iterated parent-first in menu order."""

    def __init__(self, layanan: Iterable[Layanan], jabatan: Collection[str] | None = None):
        """Check the catalog as a whole; `jabatan` = the office's jabatan codes, if known."""
        items: dict[str, Layanan] = {}
        for item in layanan:
            if item.kode in items:
                raise KatalogError("kode dipakai dua kali", lokasi="kode", kode=item.kode)
            items[item.kode] = item
        for item in items.values():
            if item.induk is not None and item.induk not in items:
                raise KatalogError(
                    f"induk '{item.induk}' tidak ada di katalog", lokasi="kode", kode=item.kode
                )
        if jabatan is not None:
            for item in items.values():
                _periksa_jabatan(item, set(jabatan))

        def kunci(item: Layanan) -> tuple:
            bagian = item.kode.split(".")
            leluhur = [".".join(bagian[: i + 1]) for i in range(len(bagian))]
            return tuple((items[k].urutan, k) for k in leluhur)

        self._items = {i.kode: i for i in sorted(items.values(), key=kunci)}
        self._nama = _indeks_nama(self._items.values())

    def __getitem__(self, kode: str) -> Layanan:
        try:
            return self._items[kode]
        except KeyError:
            raise LayananTidakDikenal(kode) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Katalog({list(self._items)})"

    def resolve(self, kode: str) -> Layanan:
        """The layanan for a code as typed (`Surat Rekomendasi` → `surat_rekomendasi`)."""
        bersih = "_".join(normalisasi(kode).split()).replace("_._", ".")
        for k in (kode, bersih):
            if k in self._items:
                return self._items[k]
        mirip = difflib.get_close_matches(bersih, list(self._items), n=1, cutoff=0.75)
        raise LayananTidakDikenal(kode, mirip[0] if mirip else None)

    def top_level(self) -> list[Layanan]:
        return [i for i in self._items.values() if i.induk is None]

    def children(self, kode: str) -> list[Layanan]:
        """Direct children of a layanan, in menu order."""
        induk = self.resolve(kode).kode
        return [i for i in self._items.values() if i.induk == induk]

    def indeks_sinonim(self) -> dict[str, str]:
        """Normalised name or synonym → code, for the NLU's matching."""
        return dict(self._nama)

    def cocokkan(self, teks: str) -> Layanan | None:
        """The layanan whose code, name or synonym equals `teks` (normalised), if any."""
        kode = self._nama.get(normalisasi(teks))
        return self._items[kode] if kode else None


def _periksa_jabatan(item: Layanan, jabatan: set[str]) -> None:
    for lokasi, kode in item.routing.jabatan():
        if kode not in jabatan:
            mirip = difflib.get_close_matches(kode, sorted(jabatan), n=1)
            saran = f" (maksudnya '{mirip[0]}'?)" if mirip else ""
            raise KatalogError(
                f"jabatan '{kode}' tidak ada di daftar jabatan kantor{saran}",
                lokasi=lokasi,
                kode=item.kode,
            )


def _indeks_nama(items: Iterable[Layanan]) -> dict[str, str]:
    indeks: dict[str, str] = {}
    for item in items:
        for lokasi, nama in [("kode", item.kode), ("nama", item.nama)] + [
            (f"sinonim.{i}", s) for i, s in enumerate(item.sinonim)
        ]:
            kunci = normalisasi(nama)
            lain = indeks.setdefault(kunci, item.kode)
            if lain != item.kode:
                raise KatalogError(
                    f"'{nama}' sudah menjadi nama atau sinonim layanan '{lain}'",
                    lokasi=lokasi,
                    kode=item.kode,
                )
    return indeks
