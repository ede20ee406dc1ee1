"""Reads the catalog's YAML files into a validated `Katalog` for one office.

One file per layanan, named after its code (`catalog/legalisir.ijazah.yml`). A child
inherits every key it does not set from its parent, except `kode`, `nama`, `sinonim`,
`urutan` and `deskripsi`. The office's `layanan_override` (config `kantor[].`) is
deep-merged into the files before inheritance, so a parent's override reaches its
children. Lists are replaced, never concatenated. In `jangka_waktu` a new unit
replaces the old one (and its `keterangan`, unless the override gives one).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from domain.katalog import SATUAN_WAKTU, Katalog, KatalogError, Layanan

TIDAK_DIWARISKAN = frozenset({"kode", "nama", "sinonim", "urutan", "deskripsi"})


def load_katalog(
    directory: Path,
    jabatan_codes: set[str],
    overrides: dict[str, dict] | None = None,
) -> Katalog:
    """Load, merge and validate every `*.yml` in `directory`; raise `KatalogError`."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KatalogError("direktori katalog tidak ditemukan", berkas=_tampil(directory))
    for salah in sorted(directory.glob("*.yaml")):
        raise KatalogError("gunakan akhiran .yml", berkas=_tampil(salah))
    files = sorted(directory.glob("*.yml"), key=lambda p: (p.stem.count("."), p.stem))
    if not files:
        raise KatalogError("katalog kosong: tidak ada berkas *.yml", berkas=_tampil(directory))

    mentah: dict[str, dict[str, Any]] = {}
    berkas: dict[str, str] = {}
    for path in files:
        mentah[path.stem] = _baca(path)
        berkas[path.stem] = _tampil(path)

    overrides = overrides or {}
    for kode, ubah in overrides.items():
        if kode not in mentah:
            raise KatalogError(
                "layanan tidak dikenal di katalog", lokasi=f"layanan_override.{kode}"
            )
        if not isinstance(ubah, dict):
            raise KatalogError("harus berupa pemetaan", lokasi=f"layanan_override.{kode}")
        if "kode" in ubah:
            raise KatalogError("kode tidak boleh diubah", lokasi=f"layanan_override.{kode}.kode")
        mentah[kode] = gabung(mentah[kode], ubah)

    lengkap: dict[str, dict[str, Any]] = {}
    layanan: list[Layanan] = []
    for kode, data in mentah.items():  # parents come first: sorted by depth
        induk = kode.rpartition(".")[0]
        if induk:
            if induk not in lengkap:
                raise KatalogError(
                    f"induk '{induk}' tidak ada (berkas {induk}.yml)",
                    berkas=berkas[kode],
                    lokasi="kode",
                )
            warisan = {k: v for k, v in lengkap[induk].items() if k not in TIDAK_DIWARISKAN}
            data = gabung(warisan, data)
        lengkap[kode] = data
        layanan.append(_validasi(data, berkas[kode], overrides.get(kode)))

    try:
        return Katalog(layanan, jabatan_codes)
    except KatalogError as exc:
        raise exc.dengan_berkas(berkas[exc.kode]) if exc.kode in berkas else exc from None


def gabung(dasar: dict[str, Any], tambahan: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: `tambahan` wins; dicts merge, lists and scalars replace."""
    hasil = copy.deepcopy(dasar)
    for k, v in tambahan.items():
        lama = hasil.get(k)
        if k == "jangka_waktu" and isinstance(v, dict) and isinstance(lama, dict):
            hasil[k] = _gabung_jangka(lama, v)
        elif isinstance(v, dict) and isinstance(lama, dict):
            hasil[k] = gabung(lama, v)
        else:
            hasil[k] = copy.deepcopy(v)
    return hasil


def _gabung_jangka(lama: dict[str, Any], baru: dict[str, Any]) -> dict[str, Any]:
    if not any(s in baru for s in SATUAN_WAKTU):
        return {**lama, **baru}
    satuan_lama = {s: lama[s] for s in SATUAN_WAKTU if lama.get(s) is not None}
    satuan_baru = {s: baru[s] for s in SATUAN_WAKTU if baru.get(s) is not None}
    hasil = {k: v for k, v in lama.items() if k not in SATUAN_WAKTU}
    if satuan_baru != satuan_lama and "keterangan" not in baru:
        hasil.pop("keterangan", None)  # the old wording would describe the old time
    return {**hasil, **baru}


def _tampil(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# libyaml's parser when PyYAML was built with it (several times faster), else Python's
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """Safe loader that refuses a key given twice in one mapping."""


def _mapping_tanpa_duplikat(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    lihat: set[Any] = set()
    for kunci_node, _ in node.value:
        kunci = loader.construct_object(kunci_node, deep=True)
        try:
            ganda = kunci in lihat
        except TypeError:
            continue  # unhashable: construct_mapping reports it
        if ganda:
            raise yaml.constructor.ConstructorError(
                None, None, f"kunci '{kunci}' muncul dua kali", kunci_node.start_mark
            )
        lihat.add(kunci)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_tanpa_duplikat)


def _baca(path: Path) -> dict[str, Any]:
    nama = _tampil(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except UnicodeDecodeError:
        raise KatalogError("berkas harus UTF-8", berkas=nama) from None
    except OSError as exc:
        raise KatalogError(f"tidak dapat dibaca ({exc.strerror})", berkas=nama) from None
    except yaml.YAMLError as exc:
        raise KatalogError(_pesan_yaml(exc), berkas=nama) from None
    if not isinstance(data, dict):
        raise KatalogError("isi berkas harus berupa pemetaan (kunci: nilai)", berkas=nama)
    if "kode" not in data:
        raise KatalogError("wajib diisi", berkas=nama, lokasi="kode")
    if data["kode"] != path.stem:
        raise KatalogError(
            f"'{data['kode']}' harus sama dengan nama berkas ('{path.stem}')",
            berkas=nama,
            lokasi="kode",
        )
    return data


def _pesan_yaml(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    tempat = f" baris {mark.line + 1} kolom {mark.column + 1}" if mark else ""
    return f"YAML tidak sah{tempat}: {problem}"


def _validasi(data: dict[str, Any], berkas: str, override: dict | None) -> Layanan:
    try:
        return Layanan.model_validate(data)
    except ValidationError as exc:
        galat = exc.errors(include_url=False)
        # a misspelt key shows up as "unknown" plus "missing": the unknown one says more
        galat.sort(key=lambda e: e["type"] != "extra_forbidden")
        pertama = galat[0]
        loc = [str(x) for x in pertama["loc"]]
        lebih = f" (dan {len(galat) - 1} kesalahan lain)" if len(galat) > 1 else ""
        asal = (
            f"{berkas} (layanan_override)" if override and loc and loc[0] in override else berkas
        )
        raise KatalogError(
            _pesan_pydantic(pertama) + lebih, berkas=asal, lokasi=".".join(loc) or None
        ) from None


def _pesan_pydantic(err: Any) -> str:
    """Pydantic's error as one Indonesian phrase."""
    jenis, ctx = err["type"], err.get("ctx") or {}
    pilihan = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
    pesan = {
        "missing": "wajib diisi",
        "extra_forbidden": "kunci tidak dikenal",
        "literal_error": f"harus salah satu dari {', '.join(pilihan)}",
        "enum": f"harus salah satu dari {', '.join(pilihan)}",
        "string_type": "harus berupa teks",
        "string_too_short": "tidak boleh kosong",
        "string_pattern_mismatch": "hanya huruf kecil, angka dan garis bawah (_)"
        + (", dipisah titik untuk anak layanan" if "\\." in str(ctx.get("pattern")) else ""),
        "int_type": "harus berupa bilangan bulat",
        "int_parsing": "harus berupa bilangan bulat",
        "int_from_float": "harus berupa bilangan bulat",
        "greater_than": f"harus lebih besar dari {ctx.get('gt')}",
        "bool_type": "harus true atau false",
        "bool_parsing": "harus true atau false",
        "list_type": "harus berupa daftar",
        "tuple_type": "harus berupa daftar",
        "too_short": f"minimal {ctx.get('min_length')} butir",
        "dict_type": "harus berupa pemetaan (kunci: nilai)",
        "model_type": "harus berupa pemetaan (kunci: nilai)",
        "model_attributes_type": "harus berupa pemetaan (kunci: nilai)",
    }.get(jenis)
    if pesan is None and jenis in ("value_error", "assertion_error") and "error" in ctx:
        pesan = str(ctx["error"])
    return pesan or err["msg"]
