"""The composition root: `ptsp serve`, `ptsp shell`, `ptsp-admin` and the tests all start here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.catalog_loader import load_katalog
from bot.settings import (
    ConfigError,
    KantorConfig,
    Settings,
    baca_yaml,
    config_path,
    load_settings,
)
from domain.antrian import ANTRIAN_HANDLERS
from domain.data_pribadi import DATA_PRIBADI_HANDLERS, DATA_PRIBADI_QUERIES
from domain.kalender import KalenderKerja
from domain.kantor import BatasTier, Jabatan, ProfilKantor
from domain.katalog import Katalog, KatalogError
from domain.konteks import Konteks
from domain.loket import LOKET_HANDLERS
from domain.pesan import Pesan
from domain.ports import Clock
from domain.queries import QUERY_HANDLERS
from domain.services import COMMAND_HANDLERS, MessageBus
from domain.surat import SURAT_HANDLERS
from domain.tamu import TAMU_HANDLERS
from storage.uow import Database


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Container:
    """Everything wired once; the edges take what they need from here."""

    settings: Settings
    db: Database
    katalog: Any
    kantor: dict[int, ProfilKantor]
    kantor_by_kode: dict[str, int]
    pesan: Pesan
    clock: Clock
    bus: MessageBus
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def default_kantor_id(self) -> int:
        return self.kantor_by_kode[self.settings.kantor[0].kode]

    def uow(self, kantor_id: int | None = None) -> Any:
        return self.db.uow(kantor_id or self.default_kantor_id)

    def profil(self, kantor_id: int | None = None) -> ProfilKantor:
        return self.kantor[kantor_id or self.default_kantor_id]

    def kantor_id_of(self, kode: str | None) -> int:
        """The id of the office `kode` names (None: the first office)."""
        if kode is None:
            return self.default_kantor_id
        if kode not in self.kantor_by_kode:
            raise ConfigError(f"kantor '{kode}' tidak ada di konfigurasi "
                              f"(ada: {', '.join(self.kantor_by_kode)})")
        return self.kantor_by_kode[kode]

    def katalog_of(self, kantor_id: int | None = None) -> Any:
        """The office's own catalog; `katalog` is the first office's."""
        return self.profil(kantor_id).katalog or self.katalog


def katalog_kantor(settings: Settings) -> list[Katalog]:
    """Each office's catalog: the shared files with its `layanan_override` applied.

    Offices without overrides share one instance. A catalog error stops start-up with
    one line naming the file (and the office, for its overrides).
    """
    jabatan_codes = {j.kode for k in settings.kantor for j in k.jabatan}
    shared: Katalog | None = None
    out: list[Katalog] = []
    for i, cfg in enumerate(settings.kantor):
        if not cfg.layanan_override and shared is not None:
            out.append(shared)
            continue
        try:
            katalog = load_katalog(settings.catalog_dir, jabatan_codes, cfg.layanan_override)
        except KatalogError as exc:
            config = config_path()
            if (exc.lokasi or "").startswith("layanan_override"):
                raise ConfigError(f"{config}: kantor.{i}.{exc}") from None
            if (exc.berkas or "").endswith("(layanan_override)"):
                raise ConfigError(f"{config}: kantor.{i}.layanan_override: {exc}") from None
            raise ConfigError(str(exc)) from None
        if not cfg.layanan_override:
            shared = katalog
        out.append(katalog)
    return out


def profil_kantor(kantor_id: int, cfg: KantorConfig, katalog: Katalog | None = None
                  ) -> ProfilKantor:
    """The domain's view of one configured office."""
    try:
        kalender = KalenderKerja.from_config(cfg.model_dump())
    except ValueError as exc:
        raise ConfigError(f"kantor.{cfg.kode}: {exc}") from None
    return ProfilKantor(
        id=kantor_id, kode=cfg.kode, nama=cfg.nama, alamat=cfg.alamat, telepon=cfg.telepon,
        email=cfg.email, peta=cfg.peta, whatsapp=cfg.whatsapp, timezone=cfg.timezone,
        kalender=kalender,
        jabatan={j.kode: Jabatan(kode=j.kode, nama=j.nama, kategori=j.kategori,
                                 bawahan=tuple(j.bawahan), sinonim=tuple(j.sinonim))
                 for j in cfg.jabatan},
        tier={k: BatasTier(jam_kerja=v.jam_kerja, hari_kerja=v.hari_kerja)
              for k, v in cfg.pengaduan.tier.items()},
        topik=dict(cfg.pengaduan.topik),
        ambang_topik_bulanan=cfg.pengaduan.ambang_topik_bulanan,
        koordinator_apip=cfg.koordinator_apip,
        tempat_audiensi=cfg.tempat_audiensi,
        kode_naskah=cfg.kode_naskah,
        loket={lk.kode: lk.nama for lk in cfg.loket},
        katalog=katalog,
    )


def load_pesan(path: Path) -> Pesan:
    if not path.exists():
        raise ConfigError(f"{path}: katalog pesan tidak ditemukan (pesan_file)")
    try:
        data = baca_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML tidak valid: {exc}") from None
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise ConfigError(f"{path}: {bad[0]}: harus berupa teks")
    return Pesan(data)


def bootstrap(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
) -> Container:
    """Wire settings, store, catalog, office profiles, messages and the message bus."""
    settings = settings or load_settings()
    db = db or Database(settings.database_url)
    katalogs = katalog_kantor(settings)
    katalog = katalogs[0]
    kantor: dict[int, ProfilKantor] = {}
    by_kode: dict[str, int] = {}
    for cfg, kat in zip(settings.kantor, katalogs, strict=True):
        kid = db.ensure_kantor(cfg.kode, cfg.nama)
        kantor[kid] = profil_kantor(kid, cfg, kat)
        by_kode[cfg.kode] = kid
    pesan = load_pesan(settings.pesan_file)
    clock = clock or SystemClock()
    ctx = Konteks(
        clock=clock, katalog=katalog, kantor=kantor, pesan=pesan,
        numbering_tz=settings.numbering.timezone,
        batal_otomatis_hari_kerja=settings.permohonan.batal_otomatis_hari_kerja,
        arsip_otomatis_hari=settings.permohonan.arsip_otomatis_hari,
        rekap_jam=settings.jadwal.rekap_harian,
        antrian_tunggu_hadir_menit=settings.antrian.tunggu_hadir_menit,
        antrian_peringatan_sisa=settings.antrian.peringatan_sisa,
    )
    from storage.files import FileStore

    return Container(settings=settings, db=db, katalog=katalog, kantor=kantor,
                     kantor_by_kode=by_kode, pesan=pesan, clock=clock,
                     extras={"files": FileStore(settings.data_dir)},
                     bus=MessageBus(ctx, {**COMMAND_HANDLERS, **QUERY_HANDLERS,
                                          **ANTRIAN_HANDLERS, **SURAT_HANDLERS,
                                          **LOKET_HANDLERS, **TAMU_HANDLERS,
                                          **DATA_PRIBADI_HANDLERS, **DATA_PRIBADI_QUERIES}))
