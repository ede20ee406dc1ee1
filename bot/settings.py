"""Settings: `config.yml` overlaid by `PTSP_…` environment variables (pydantic-settings).

The fixed variable names of CONTRACT.md are top-level fields; every other key of
`config.yml` can be overridden as `PTSP_` + key path with `__` between levels.
Secrets are read only from the environment: a secret found in `config.yml` stops
start-up.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ZONA_WAKTU = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")
HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
SECRET_FIELDS = frozenset(
    {
        "twilio_auth_token",
        "twilio_accounts",
        "telegram_token",
        "telegram_webhook_secret",
        "secret_key",
    }
)
_JAM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")



def baca_yaml(text: str) -> Any:
    """YAML with libyaml's safe loader when PyYAML has it (several times faster than the
    pure-Python one: config.yml and pesan.yml are read on every `ptsp-admin` call)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506

class ConfigError(Exception):
    """The configuration is wrong; the message names the key."""


def _check_jam(jam: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    unknown = set(jam) - set(HARI)
    if unknown:
        raise ValueError(f"hari tidak dikenal: {', '.join(sorted(unknown))}")
    for hari, ranges in jam.items():
        for r in ranges:
            if len(r) != 2 or not all(_JAM.match(x) for x in r) or r[0] >= r[1]:
                raise ValueError(f"{hari}: rentang jam harus [\"HH:MM\", \"HH:MM\"], bukan {r}")
    return jam


class PeriodeKhususConfig(BaseModel):
    nama: str
    mulai: str
    selesai: str
    jam_layanan: dict[str, list[list[str]]]

    _check = field_validator("jam_layanan")(classmethod(lambda cls, v: _check_jam(v)))


class TanggalConfig(BaseModel):
    tanggal: str
    nama: str = "Libur kantor"


class LoketConfig(BaseModel):
    kode: str = Field(pattern=r"^[A-Z]$")
    nama: str
    desk: Literal["layanan", "surat", "aduan_skm"]


class JabatanConfig(BaseModel):
    kode: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nama: str
    kategori: str
    sinonim: list[str] = []
    bawahan: list[str] = []


class TierConfig(BaseModel):
    jam_kerja: int | None = None
    hari_kerja: int | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> TierConfig:
        if (self.jam_kerja is None) == (self.hari_kerja is None):
            raise ValueError("isi tepat satu dari jam_kerja atau hari_kerja")
        return self


class PengaduanConfig(BaseModel):
    tier: dict[
        Literal["ringan", "normatif", "tidak_berkadar_pengawasan", "berkadar_pengawasan"],
        TierConfig,
    ]
    topik: dict[str, str]
    ambang_topik_bulanan: int = 5


class KantorConfig(BaseModel):
    kode: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nama: str
    singkatan: str = ""
    alamat: str
    telepon: str
    email: str
    whatsapp: str = ""
    # the office's own Twilio account, if its number is not on the main one (its
    # AuthToken in PTSP_TWILIO_ACCOUNTS); replies then leave from `whatsapp` on it
    twilio_account_sid: str = Field(default="", pattern=r"^(AC[0-9a-fA-F]{32})?$")
    peta: str = ""
    timezone: str
    koordinator_apip: str = ""
    # where audiensi are held unless the official types another place
    tempat_audiensi: str = "Ruang Rapat PTSP"
    # kode jabatan of the office in naskah dinas numbers (KMA 9/2016), e.g. Kw.18 / Kk.18.05
    kode_naskah: str = ""
    # Telegram chat of the APIP contact (Inspektorat): receives pungli/gratifikasi complaints
    apip_telegram_chat_id: int | None = None
    jam_layanan: dict[str, list[list[str]]]
    periode_khusus: list[PeriodeKhususConfig] = []
    libur_tambahan: list[TanggalConfig] = []
    hari_kerja_tambahan: list[str] = []
    loket: list[LoketConfig]
    jabatan: list[JabatanConfig]
    pengaduan: PengaduanConfig
    layanan_override: dict[str, dict[str, Any]] = {}

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        if v not in ZONA_WAKTU:
            raise ValueError(f"harus salah satu dari {', '.join(ZONA_WAKTU)}")
        return v

    _check = field_validator("jam_layanan")(classmethod(lambda cls, v: _check_jam(v)))

    @model_validator(mode="after")
    def _bawahan_known(self) -> KantorConfig:
        codes = {j.kode for j in self.jabatan}
        for i, j in enumerate(self.jabatan):
            for b in j.bawahan:
                if b not in codes:
                    raise ValueError(f"jabatan.{i}.bawahan: jabatan '{b}' tidak ada")
        return self

    def jabatan_by_kode(self) -> dict[str, JabatanConfig]:
        return {j.kode: j for j in self.jabatan}


class NumberingConfig(BaseModel):
    timezone: str = ""


class NluConfig(BaseModel):
    threshold: float = Field(0.45, ge=0, le=1)
    rasa_timeout_seconds: float = 2.0


class ConversationConfig(BaseModel):
    expire_minutes: int = Field(30, gt=0)
    # more than this from one sender within a minute is a flood: set aside, one polite
    # "slow down" reply per minute (a person, even a quick one, stays well below)
    batas_pesan_per_menit: int = Field(60, gt=0)


class PermohonanConfig(BaseModel):
    batal_otomatis_hari_kerja: int = Field(14, gt=0)
    arsip_otomatis_hari: int = Field(30, gt=0)


class AntrianConfig(BaseModel):
    # a called number may be skipped as absent only this many minutes after its call
    tunggu_hadir_menit: int = Field(3, ge=0)
    # the WhatsApp holder is told when this many numbers are left before theirs
    peringatan_sisa: int = Field(3, ge=1)


class JadwalConfig(BaseModel):
    rekap_harian: str = Field("16:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class JobsConfig(BaseModel):
    poll_interval_ms: int = Field(100, gt=0, le=100)  # unused: see safety_poll_seconds
    # the longest an idle worker sleeps unwoken (new rows wake it at once; retries and
    # scheduled jobs at their due time): one transaction per worker per this interval
    safety_poll_seconds: float = Field(60.0, ge=5)
    outbox_max_attempts: int = Field(8, gt=0)  # unused since outbox_menyerah_jam
    # media and generated files that nothing refers to (not attached to a permohonan, a
    # complaint or a letter) are deleted after this many days (nightly, with the queues)
    simpan_media_lepas_hari: int = Field(30, gt=0)
    # a reply that cannot be delivered is retried (backoff up to 10 minutes) for this
    # long before it is given up as a dead letter: ptsp-admin outbox list / retry, and
    # the koordinator is told
    outbox_menyerah_jam: float = Field(24.0, gt=0)
    # handled inbox, outbox and job rows are deleted after this many days (daily at 02:00)
    simpan_antrean_hari: int = Field(30, gt=0)
    # a claimed row is held this long, renewed every third of it while it is worked on;
    # after a crash, what the dead process held is taken again after at most this long
    lease_seconds: int = Field(15, ge=1, le=600)


class OutboundConfig(BaseModel):
    """Calls to the providers' APIs (Twilio REST, Telegram Bot API)."""

    # hard limit of one call, connecting and reading included; a call that takes longer
    # is abandoned and the outbox retries the message with backoff
    timeout_seconds: float = Field(30.0, gt=0, le=300)


class WhatsAppConfig(BaseModel):
    """WhatsApp through Twilio: one approved Content template per kind of notification."""

    # kind (domain.konteks.JENIS_KABAR) -> Content SID (HX…); its numbered variables are
    # filled in the kind's order. A kind without one falls back to PTSP_TWILIO_TEMPLATE_SID
    # (the whole text as {{1}}), or waits for the citizen's next message.
    templates: dict[str, str | None] = Field(default_factory=dict)

    @field_validator("templates")
    @classmethod
    def _jenis_dikenal(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        from domain.konteks import JENIS_KABAR

        for jenis, sid in v.items():
            if jenis not in JENIS_KABAR:
                raise ValueError(f"whatsapp.templates.{jenis}: jenis tidak dikenal (ada: "
                                 f"{', '.join(JENIS_KABAR)})")
            if sid is not None and not re.fullmatch(r"HX[0-9a-fA-F]{32}", sid):
                raise ValueError(f"whatsapp.templates.{jenis}: Content SID harus HX + 32 "
                                 f"karakter heksadesimal, bukan '{sid}'")
        return v


class MediaConfig(BaseModel):
    """Downloading the media citizens send (Twilio `MediaUrl`s).

    Media are fetched over HTTPS from Twilio's own hosts only (and from the host of
    `PTSP_TWILIO_API_BASE_URL`, which the operator chose); addresses that are loopback,
    private or link-local after DNS resolution are refused. `extra_hosts` (`host` or
    `host:port`, also over plain HTTP) and `allow_private` exist for tests and for a
    local proxy; a production deployment leaves them empty.
    """

    extra_hosts: list[str] = []
    allow_private: bool = False


class _YamlSource(PydanticBaseSettingsSource):
    """Reads `PTSP_CONFIG` (default `config.yml`); refuses secrets in the file."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path):
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not self.path.exists():
            raise ConfigError(f"{self.path}: berkas konfigurasi tidak ditemukan (PTSP_CONFIG)")
        try:
            data = baca_yaml(self.path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{self.path}: YAML tidak valid: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{self.path}: harus berupa pemetaan kunci: nilai")
        found = SECRET_FIELDS & set(data)
        if found:
            raise ConfigError(
                f"{self.path}: {sorted(found)[0]}: rahasia hanya boleh dari variabel lingkungan "
                f"PTSP_{sorted(found)[0].upper()}, bukan dari config.yml"
            )
        return data


class Settings(BaseSettings):
    """All configuration of one deployment."""

    model_config = SettingsConfigDict(
        env_prefix="PTSP_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    config: Path = Path("config.yml")
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = "sqlite:///./var/ptsp.db"
    data_dir: Path = Path("./var")
    public_url: str = "http://127.0.0.1:8080"
    sandbox: Literal["on", "off"] | None = None
    metrics_public: Literal["on", "off"] = "off"

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_whatsapp_from: str | None = None
    twilio_accounts: SecretStr | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    # an approved WhatsApp Content template ({{1}} = the message, shortened) used when a
    # free-form message is refused outside the 24-hour window (error 63016)
    twilio_template_sid: str | None = None

    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_mode: Literal["webhook", "polling"] | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"

    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    secret_key: SecretStr | None = None
    secret_key_lama: SecretStr | None = None  # old keys, comma-separated: still verified

    catalog_dir: Path = Path("catalog")
    pesan_file: Path = Path("pesan.yml")
    numbering: NumberingConfig = NumberingConfig()
    nlu: NluConfig = NluConfig()
    conversation: ConversationConfig = ConversationConfig()
    permohonan: PermohonanConfig = PermohonanConfig()
    antrian: AntrianConfig = AntrianConfig()
    jobs: JobsConfig = JobsConfig()
    jadwal: JadwalConfig = JadwalConfig()
    outbound: OutboundConfig = OutboundConfig()
    whatsapp: WhatsAppConfig = WhatsAppConfig()
    media: MediaConfig = MediaConfig()
    kantor: list[KantorConfig] = Field(min_length=1)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_path()
        return (init_settings, env_settings, _YamlSource(settings_cls, path))

    @model_validator(mode="after")
    def _relative_to_config(self) -> Settings:
        """Relative catalog and message paths are read next to the config file."""
        base = config_path().parent
        if not self.catalog_dir.is_absolute():
            self.catalog_dir = base / self.catalog_dir
        if not self.pesan_file.is_absolute():
            self.pesan_file = base / self.pesan_file
        return self

    @model_validator(mode="after")
    def _derived(self) -> Settings:
        tz = self.numbering.timezone or self.kantor[0].timezone
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"numbering.timezone: zona waktu tidak dikenal: {tz}") from exc
        self.numbering.timezone = tz
        codes = [k.kode for k in self.kantor]
        if len(set(codes)) != len(codes):
            raise ValueError("kantor: kode kantor harus unik")
        for i, k in enumerate(self.kantor):
            if k.twilio_account_sid and not k.whatsapp:
                raise ValueError(f"kantor.{i}.whatsapp: wajib diisi bila twilio_account_sid "
                                 "diisi (nomor pengirim kantor itu)")
            if k.twilio_account_sid and self.twilio_enabled \
                    and k.twilio_account_sid not in self.twilio_tokens():
                raise ValueError(f"kantor.{i}.twilio_account_sid: token akun ini tidak ada "
                                 "di PTSP_TWILIO_ACCOUNTS")
        return self

    # -- derived facts -------------------------------------------------------------
    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def sandbox_enabled(self) -> bool:
        if self.sandbox is not None:
            return self.sandbox == "on"
        return not (self.twilio_enabled or self.telegram_enabled)

    @property
    def telegram_transport(self) -> str:
        if self.telegram_mode:
            return self.telegram_mode
        return "webhook" if self.telegram_webhook_secret else "polling"

    def twilio_tokens(self) -> dict[str, str]:
        """AccountSid → AuthToken for every configured Twilio account."""
        tokens: dict[str, str] = {}
        if self.twilio_account_sid and self.twilio_auth_token:
            tokens[self.twilio_account_sid] = self.twilio_auth_token.get_secret_value()
        if self.twilio_accounts:
            try:
                extra = json.loads(self.twilio_accounts.get_secret_value())
            except json.JSONDecodeError as exc:
                raise ConfigError(
                    "PTSP_TWILIO_ACCOUNTS: harus JSON {AccountSid: AuthToken}") from exc
            tokens.update({str(k): str(v) for k, v in extra.items()})
        return tokens

    def signing_key(self) -> bytes:
        """Key for HMACs (media tokens, receipt QR codes).

        `PTSP_SECRET_KEY` when set; else a random key made once and kept in the data folder
        (`secret.key`, readable by the service only) — never derived from a path or the
        channel tokens, so a receipt cannot be forged from public facts and rotating a
        token does not void printed receipts. Instances sharing a data folder share it.
        """
        if self.secret_key:
            return self.secret_key.get_secret_value().encode()
        return self._kunci_berkas(buat=True) or b""

    def verification_keys(self) -> list[bytes]:
        """Every key a receipt or link may carry: the current one, then the old ones.

        Rotation: put the old key into `PTSP_SECRET_KEY_LAMA` (comma-separated) when
        setting a new `PTSP_SECRET_KEY`; receipts printed before keep verifying. A key kept
        in the data folder from before `PTSP_SECRET_KEY` was set is an old key by itself.
        """
        keys = [self.signing_key()]
        if self.secret_key_lama:
            keys += [k.strip().encode() for k in self.secret_key_lama.get_secret_value()
                     .split(",") if k.strip()]
        berkas = self._kunci_berkas(buat=False)
        if berkas:
            keys.append(berkas)
        return list(dict.fromkeys(keys))

    def _kunci_berkas(self, *, buat: bool) -> bytes | None:
        import secrets as _secrets

        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_bytes().strip()
        if not buat:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        key = _secrets.token_hex(32).encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another instance made it first
            return path.read_bytes().strip()
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key


def _format_error(exc: ValidationError, path: str) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "(akar)"
    msg = err["msg"].removeprefix("Value error, ")
    return f"{path}: {loc}: {msg}"


# Where an installed wheel keeps the default config.yml, pesan.yml and catalog/.
TERPASANG = Path(sys.prefix) / "share" / "ptsp"


def bawaan() -> Path:
    """The folder holding the default config.yml, pesan.yml and catalog/: the installed
    copy of a wheel, else the checkout this package runs from."""
    if (TERPASANG / "config.yml").exists():
        return TERPASANG
    return Path(__file__).resolve().parents[1]


def config_path() -> Path:
    """The configuration file in use: `PTSP_CONFIG`, else ./config.yml, else the installed one."""
    env = os.environ.get("PTSP_CONFIG")
    if env:
        return Path(env)
    here = Path("config.yml")
    if here.exists() or not (TERPASANG / "config.yml").exists():
        return here
    return TERPASANG / "config.yml"


def load_settings(**overrides: Any) -> Settings:
    """Load settings; raise ConfigError with one line naming the key on any mistake."""
    path = str(config_path())
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, path)) from None
