"""The service catalog: default content, the model's rules and the loader's error messages."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
import yaml

from bot.catalog_loader import load_katalog
from domain.katalog import (
    CATATAN_CONTOH,
    JangkaWaktu,
    Katalog,
    KatalogError,
    Layanan,
    LayananTidakDikenal,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
CONFIG = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
JABATAN = {j["kode"]: j for k in CONFIG["kantor"] for j in k["jabatan"]}

TOP_LEVEL = [
    "audiensi", "legalisir", "surat_rekomendasi", "surat_keterangan", "surat_izin", "narasumber",
    "data_keagamaan", "surat_keputusan", "surat_pengantar", "tanda_daftar", "jadwal_sholat",
    "lembar_pengesahan", "tamu",
]  # fmt: skip
CHILDREN = [
    "surat_rekomendasi.paspor_umrah", "surat_rekomendasi.paspor_haji", "legalisir.ijazah",
    "legalisir.buku_nikah", "surat_keterangan.pindah_madrasah", "surat_izin.pendirian_madrasah",
    "tanda_daftar.majelis_taklim", "tanda_daftar.rumah_ibadah",
]  # fmt: skip
RESMI = {"audiensi", "tamu"}


@pytest.fixture(scope="module")
def katalog() -> Katalog:
    return load_katalog(CATALOG, set(JABATAN), CONFIG["kantor"][0].get("layanan_override"))


def _bawahan_semua(kode: str) -> set[str]:
    hasil: set[str] = set()
    for b in JABATAN[kode]["bawahan"]:
        hasil |= {b} | _bawahan_semua(b)
    return hasil


# --- the default catalog ---------------------------------------------------------------


def test_default_catalog_loads_against_config_jabatan(katalog):
    assert len(katalog) >= len(TOP_LEVEL) + len(CHILDREN)
    for layanan in katalog.values():
        for _, jabatan in layanan.routing.jabatan():
            assert jabatan in JABATAN


def test_catalog_loads_without_overrides():
    assert load_katalog(CATALOG, set(JABATAN))["audiensi"].jangka_waktu.menit_kerja == 65


@pytest.mark.parametrize("kode", TOP_LEVEL)
def test_every_required_top_level_code_exists(katalog, kode):
    assert kode in katalog
    assert katalog[kode].induk is None


@pytest.mark.parametrize("kode", CHILDREN)
def test_every_required_child_exists_under_its_parent(katalog, kode):
    induk = kode.split(".")[0]
    assert katalog[kode].induk == induk
    assert katalog[kode] in katalog.children(induk)


def test_only_audiensi_and_tamu_are_resmi_and_they_name_their_seed(katalog):
    assert {k for k, v in katalog.items() if not v.is_contoh} == RESMI
    assert "seed 000" in katalog["audiensi"].sumber
    assert "seed 003" in katalog["audiensi"].sumber
    assert "seed 004" in katalog["tamu"].sumber
    assert katalog["audiensi"].catatan is None


def test_every_contoh_item_says_what_it_is_modelled_on(katalog):
    for kode, layanan in katalog.items():
        if kode in RESMI:
            continue
        assert layanan.is_contoh, kode
        assert layanan.sumber.startswith("Contoh;"), kode
        assert "seed 00" in layanan.sumber and "Sesuaikan" in layanan.sumber, kode
        assert layanan.catatan == CATATAN_CONTOH


def test_catatan_contoh_text_is_fixed():
    assert CATATAN_CONTOH == "contoh — sesuaikan dengan SK/SOP kantor"


def test_audiensi_follows_seed_000(katalog):
    a = katalog["audiensi"]
    assert (a.jangka_waktu.satuan, a.jangka_waktu.jumlah) == ("menit_kerja", 65)
    assert a.jangka_waktu.mulai == "pengajuan"
    assert a.jangka_waktu.menit() == 65
    assert list(a.penyerahan) == ["whatsapp"]
    assert a.pilih_pejabat and a.desk == "layanan"
    assert a.produk == "Waktu dan tempat pelaksanaan audiensi"
    assert a.syarat("surat_permohonan").wajib
    assert a.syarat("sehat").jenis == "pernyataan"


def test_audiensi_is_confirmed_by_kakanwil_and_may_reach_every_unit(katalog):
    routing = katalog["audiensi"].routing
    assert routing.konfirmasi == "kakanwil"
    unit = {
        k
        for k, j in JABATAN.items()
        if j["kategori"] in ("kabag", "kasubag", "kabid", "kasi", "pembimas")
    }
    assert set(routing.disposisi_ke) == unit
    assert routing.unit_utama == "kabag_tu"


def test_tamu_follows_seed_004(katalog):
    t = katalog["tamu"]
    assert [p.nama for p in t.persyaratan] == ["KTP"]
    assert t.jangka_waktu.menit_kerja == 10 and "5 s.d. 10 menit" in t.jangka_waktu.teks
    assert "gratis" in t.biaya.lower()


def test_legalisir_is_a_one_day_service(katalog):
    for kode in ("legalisir", "legalisir.ijazah", "legalisir.buku_nikah"):
        jw = katalog[kode].jangka_waktu
        assert (jw.satuan, jw.jumlah) == ("jam_kerja", 2)
        assert jw.menit() == 120
        assert any(p.jenis == "asli_dibawa" for p in katalog[kode].persyaratan)


def test_long_services_are_counted_in_working_days(katalog):
    for kode in (
        "surat_rekomendasi",
        "surat_izin",
        "surat_izin.pendirian_madrasah",
        "tanda_daftar",
    ):
        assert katalog[kode].jangka_waktu.satuan == "hari_kerja"
        assert katalog[kode].jangka_waktu.mulai == "checklist_lengkap"


def test_routing_of_madrasah_and_hajj_services_goes_to_the_right_units(katalog):
    assert (
        katalog["legalisir.ijazah"].routing.disposisi_ke[0] in JABATAN["kabid_pendma"]["bawahan"]
    )
    umrah = katalog["surat_rekomendasi.paspor_umrah"].routing
    assert (umrah.konfirmasi, list(umrah.disposisi_ke)) == ("kabid_phu", ["kasi_umrah"])
    haji = katalog["surat_rekomendasi.paspor_haji"].routing
    assert (haji.konfirmasi, list(haji.disposisi_ke)) == ("kabid_phu", ["kasi_pendaftaran_haji"])


def test_disposisi_targets_are_below_the_confirming_jabatan(katalog):
    for kode, layanan in katalog.items():
        r = layanan.routing
        if r.konfirmasi:
            assert set(r.disposisi_ke) <= _bawahan_semua(r.konfirmasi), kode


def test_paspor_umrah_asks_for_the_usual_documents(katalog):
    kodes = {p.kode for p in katalog["surat_rekomendasi.paspor_umrah"].persyaratan_wajib}
    assert {"surat_permohonan", "ktp", "kk", "surat_ppiu", "bukti_setoran"} <= kodes


def test_children_inherit_what_they_do_not_set(katalog):
    anak, induk = katalog["legalisir.ijazah"], katalog["legalisir"]
    assert anak.biaya == induk.biaya
    assert anak.sarana == induk.sarana
    assert anak.prosedur == induk.prosedur
    assert anak.jangka_waktu == induk.jangka_waktu
    assert anak.persyaratan != induk.persyaratan
    assert anak.routing.disposisi_ke == ("kasi_kurikulum",)
    assert "legalisir" not in anak.sinonim


def test_every_item_has_the_14_components(katalog):
    komponen = [
        "dasar_hukum", "persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "sarana",
        "kompetensi_pelaksana", "pengawasan_internal", "penanganan_pengaduan",
        "jumlah_pelaksana", "jaminan_pelayanan", "jaminan_keamanan", "evaluasi_kinerja",
    ]  # fmt: skip
    for kode, layanan in katalog.items():
        for k in komponen:
            assert getattr(layanan, k) is not None, (kode, k)


def test_dokumen_items_accept_files_and_other_kinds_do_not(katalog):
    for layanan in katalog.values():
        for p in layanan.persyaratan:
            assert bool(p.berkas) == (p.jenis == "dokumen"), (layanan.kode, p.kode)
    foto = katalog["surat_rekomendasi.paspor_umrah"].syarat("pas_foto")
    assert foto.terima_mime("image/jpeg") and not foto.terima_mime("application/pdf")


# --- the Katalog API -------------------------------------------------------------------


def test_iteration_is_parent_first_in_menu_order(katalog):
    kodes = list(katalog)
    assert kodes[0] == "audiensi"
    assert (
        kodes.index("legalisir")
        < kodes.index("legalisir.ijazah")
        < kodes.index("surat_rekomendasi")
    )
    assert [t.kode for t in katalog.top_level()] == [k for k in kodes if "." not in k]
    assert list(load_katalog(CATALOG, set(JABATAN))) == kodes


def test_resolve_accepts_a_code_as_typed(katalog):
    assert katalog.resolve("Surat Rekomendasi").kode == "surat_rekomendasi"
    assert (
        katalog.resolve("surat_rekomendasi.paspor_umrah").kode == "surat_rekomendasi.paspor_umrah"
    )


def test_resolve_and_getitem_of_an_unknown_code_raise_layanan_tidak_dikenal(katalog):
    with pytest.raises(LayananTidakDikenal) as exc:
        katalog.resolve("sertifikasi_halal")
    assert exc.value.kode == "sertifikasi_halal"
    assert str(exc.value) == "layanan 'sertifikasi_halal' tidak dikenal"
    with pytest.raises(LayananTidakDikenal) as exc:
        katalog.resolve("legalisr")  # a typo gets the nearest code
    assert str(exc.value) == "layanan 'legalisr' tidak dikenal (maksudnya 'legalisir'?)"
    with pytest.raises(LayananTidakDikenal):
        katalog["sertifikasi_halal"]
    with pytest.raises(LayananTidakDikenal):
        katalog.children("sertifikasi_halal")
    assert katalog.get("sertifikasi_halal") is None


def test_cocokkan_finds_a_layanan_by_name_or_synonym(katalog):
    assert katalog.cocokkan("Rekom Umroh").kode == "surat_rekomendasi.paspor_umrah"
    assert katalog.cocokkan("buku tamu").kode == "tamu"
    assert katalog.cocokkan("pesan tiket pesawat") is None
    assert katalog.indeks_sinonim()["legalisir"] == "legalisir"


def test_jangka_waktu_in_days_needs_the_day_length():
    jw = JangkaWaktu(hari_kerja=3)
    assert jw.menit(menit_per_hari_kerja=480) == 1440
    assert jw.teks == "3 hari kerja"
    with pytest.raises(ValueError):
        jw.menit()


def test_katalog_refuses_a_child_without_parent(katalog):
    anak = katalog["legalisir.ijazah"]
    with pytest.raises(KatalogError) as exc:
        Katalog([anak])
    assert exc.value.kode == "legalisir.ijazah"
    assert "induk 'legalisir'" in str(exc.value)


def test_katalog_refuses_an_unknown_jabatan_when_given_the_office_codes(katalog):
    with pytest.raises(KatalogError) as exc:
        Katalog(katalog.values(), jabatan={"kakanwil"})
    assert exc.value.lokasi.startswith("routing.")


def test_domain_module_does_no_io_and_imports_no_outer_package():
    tree = ast.parse((ROOT / "domain" / "katalog.py").read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    terlarang = ("bot", "storage", "nlu", "dialogs", "admin_cli", "yaml", "pathlib", "os")
    assert not [m for m in modules if m.split(".")[0] in terlarang]


# --- overrides -------------------------------------------------------------------------


def test_override_changes_audiensi_time():
    kat = load_katalog(CATALOG, set(JABATAN), {"audiensi": {"jangka_waktu": {"hari_kerja": 1}}})
    jw = kat["audiensi"].jangka_waktu
    assert (jw.satuan, jw.jumlah) == ("hari_kerja", 1)
    assert jw.menit_kerja is None
    assert jw.mulai == "pengajuan"  # kept from the file
    assert jw.teks == "1 hari kerja"  # the old "65 menit" wording no longer applies


def test_override_with_the_same_time_keeps_the_wording(katalog):
    assert katalog["audiensi"].jangka_waktu.teks == "65 (enam puluh lima) menit"


def test_override_of_a_parent_reaches_children_that_do_not_set_the_key():
    kat = load_katalog(CATALOG, set(JABATAN), {"legalisir": {"biaya": "Rp10.000,- (PNBP)"}})
    assert kat["legalisir.ijazah"].biaya == "Rp10.000,- (PNBP)"


def test_override_for_an_unknown_layanan_is_an_error():
    with pytest.raises(KatalogError, match=r"^layanan_override\.halal: layanan tidak dikenal"):
        load_katalog(CATALOG, set(JABATAN), {"halal": {"biaya": "gratis"}})


def test_a_bad_override_value_names_the_file_and_the_override():
    with pytest.raises(KatalogError) as exc:
        load_katalog(CATALOG, set(JABATAN), {"audiensi": {"jangka_waktu": {"menit_kerja": 0}}})
    assert str(exc.value).endswith(
        "audiensi.yml (layanan_override): jangka_waktu.menit_kerja: harus lebih besar dari 0"
    )


# --- loader errors name the file and the key ------------------------------------------


@pytest.fixture
def minimal() -> dict:
    return {
        "kode": "legalisir",
        "nama": "Legalisir",
        "sinonim": ["legalisir"],
        "status": "contoh",
        "sumber": "Contoh; uji",
        "desk": "layanan",
        "dasar_hukum": ["UU 25/2009"],
        "persyaratan": [
            {"kode": "ktp", "nama": "KTP", "jenis": "dokumen", "wajib": True, "berkas": ["pdf"]}
        ],
        "prosedur": ["Ajukan"],
        "jangka_waktu": {"jam_kerja": 2, "mulai": "checklist_lengkap"},
        "biaya": "Gratis",
        "produk": "Legalisir",
        "penyerahan": ["loket"],
        "routing": {"konfirmasi": None, "disposisi_ke": ["kasi_kurikulum"]},
        "sarana": ["Komputer"],
        "kompetensi_pelaksana": ["D III"],
        "pengawasan_internal": ["Atasan langsung"],
        "penanganan_pengaduan": ["WhatsApp"],
        "jumlah_pelaksana": "1 orang",
        "jaminan_pelayanan": ["Maklumat"],
        "jaminan_keamanan": ["Maklumat"],
        "evaluasi_kinerja": ["SKM"],
    }


def _tulis(directory: Path, data: dict, nama: str | None = None) -> Path:
    path = directory / f"{nama or data['kode']}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _galat(directory: Path, overrides: dict | None = None) -> str:
    with pytest.raises(KatalogError) as exc:
        load_katalog(directory, set(JABATAN), overrides)
    pesan = str(exc.value)
    assert "\n" not in pesan
    return pesan


def test_minimal_file_loads(tmp_path, minimal):
    _tulis(tmp_path, minimal)
    kat = load_katalog(tmp_path, set(JABATAN))
    assert isinstance(kat["legalisir"], Layanan)


def test_unknown_jenis_names_file_and_key(tmp_path, minimal):
    minimal["persyaratan"][0]["jenis"] = "fotokopi"
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path) == (
        f"{path}: persyaratan.0.jenis: harus salah satu dari dokumen, pernyataan, asli_dibawa"
    )


def test_unknown_jabatan_names_file_and_key(tmp_path, minimal):
    minimal["routing"]["disposisi_ke"] = ["kasi_kurikulum", "kasi_haji"]
    path = _tulis(tmp_path, minimal)
    pesan = _galat(tmp_path)
    assert pesan.startswith(f"{path}: routing.disposisi_ke.1: jabatan 'kasi_haji' tidak ada")


def test_unknown_confirming_jabatan_names_file_and_key(tmp_path, minimal):
    minimal["routing"]["konfirmasi"] = "kakanwill"
    path = _tulis(tmp_path, minimal)
    pesan = _galat(tmp_path)
    assert pesan.startswith(f"{path}: routing.konfirmasi: jabatan 'kakanwill'")
    assert "'kakanwil'?" in pesan  # suggests the near miss


def test_kode_not_matching_file_name(tmp_path, minimal):
    path = _tulis(tmp_path, minimal, nama="legalisasi")
    assert _galat(tmp_path) == (
        f"{path}: kode: 'legalisir' harus sama dengan nama berkas ('legalisasi')"
    )


def test_bad_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "legalisir.yml"
    path.write_text("kode: legalisir\nnama: [Legalisir\nbiaya: gratis\n", encoding="utf-8")
    pesan = _galat(tmp_path)
    assert pesan.startswith(f"{path}: YAML tidak sah baris ")


def test_a_key_given_twice_is_an_error(tmp_path):
    path = tmp_path / "legalisir.yml"
    path.write_text("kode: legalisir\nbiaya: gratis\nbiaya: Rp0\n", encoding="utf-8")
    assert _galat(tmp_path) == (
        f"{path}: YAML tidak sah baris 3 kolom 1: kunci 'biaya' muncul dua kali"
    )


def test_two_units_in_jangka_waktu(tmp_path, minimal):
    minimal["jangka_waktu"] = {"jam_kerja": 2, "hari_kerja": 1}
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path) == (
        f"{path}: jangka_waktu: harus tepat satu dari menit_kerja, jam_kerja, hari_kerja"
        " (terisi: jam_kerja, hari_kerja)"
    )


def test_no_unit_in_jangka_waktu(tmp_path, minimal):
    minimal["jangka_waktu"] = {"mulai": "pengajuan"}
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path).startswith(f"{path}: jangka_waktu: harus tepat satu dari")


def test_a_misspelt_key_is_reported(tmp_path, minimal):
    minimal["persyaratn"] = minimal.pop("persyaratan")
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path) == f"{path}: persyaratn: kunci tidak dikenal (dan 1 kesalahan lain)"


def test_berkas_on_a_non_dokumen_item_is_an_error(tmp_path, minimal):
    minimal["persyaratan"][0]["jenis"] = "asli_dibawa"
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path) == (
        f"{path}: persyaratan.0.berkas: hanya untuk persyaratan jenis dokumen"
    )


def test_child_without_parent_file(tmp_path, minimal):
    minimal["kode"] = "legalisir.ijazah"
    path = _tulis(tmp_path, minimal)
    assert _galat(tmp_path) == (
        f"{path}: kode: induk 'legalisir' tidak ada (berkas legalisir.yml)"
    )


def test_synonym_shared_by_two_layanan(tmp_path, minimal):
    _tulis(tmp_path, minimal)
    lain = copy.deepcopy(minimal) | {"kode": "surat_pengantar", "nama": "Surat Pengantar"}
    path = _tulis(tmp_path, lain)
    assert _galat(tmp_path) == (
        f"{path}: sinonim.0: 'legalisir' sudah menjadi nama atau sinonim layanan 'legalisir'"
    )


def test_child_inherits_and_its_time_unit_replaces_the_parents(tmp_path, minimal):
    _tulis(tmp_path, minimal)
    _tulis(
        tmp_path,
        {
            "kode": "legalisir.ijazah",
            "nama": "Legalisir Ijazah",
            "jangka_waktu": {"hari_kerja": 1},
            "routing": {"disposisi_ke": ["kasi_kurikulum", "kasi_kelembagaan"]},
        },
    )
    kat = load_katalog(tmp_path, set(JABATAN))
    anak = kat["legalisir.ijazah"]
    assert (anak.jangka_waktu.satuan, anak.jangka_waktu.jumlah) == ("hari_kerja", 1)
    assert anak.jangka_waktu.mulai == "checklist_lengkap"
    assert anak.biaya == "Gratis" and anak.sinonim == ()
    assert anak.routing.konfirmasi is None
    assert [c.kode for c in kat.children("legalisir")] == ["legalisir.ijazah"]


def test_missing_directory_and_empty_directory(tmp_path):
    assert "direktori katalog tidak ditemukan" in _galat(tmp_path / "tidak_ada")
    assert "katalog kosong" in _galat(tmp_path)
