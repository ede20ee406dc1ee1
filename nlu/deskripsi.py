"""Services as citizens describe them: what they want done, not the catalog name.

"cap basah ijazah madrasah" is a legalisir of an ijazah, "surat buat bikin paspor
umroh" the rekomendasi for an umrah passport, "mau mendirikan MTs" the madrasah
founding permit. The catalog's ``nama``/``sinonim`` name the services; these tables
add the descriptions, for the ``layanan`` extractor only (the catalog stays the
operators' file).

- ``DESKRIPSI``: code -> phrases that name the service by what is wanted. Unlike a
  child's bare synonym they are always accepted ("mendirikan madrasah" asks for the
  permit, whereas "ijazah" alone is a document).
- ``OBJEK``: child code -> the objects that turn a nearby mention of the parent (or
  of a ``PEMICU`` word) into the child: "legalisir fotokopi ijazah", "ijazah saya mau
  dicap", "rekomendasi untuk umroh".
- ``PEMICU``: parent code -> extra words (compared by stem) that announce the parent
  when an object of one of its children is near ("surat … paspor umrah",
  "stempel … buku nikah").

Phrases are written plainly; they are normalised like messages when loaded. A phrase
containing the word ``madrasah`` is also added with the madrasah kinds (MI, MTs, MA,
RA), so "pendirian MTs" reads as "pendirian madrasah".
"""

from __future__ import annotations

__all__ = ["DESKRIPSI", "JENIS_MADRASAH", "OBJEK", "PEMICU"]

JENIS_MADRASAH: tuple[str, ...] = (
    "mi",
    "mts",
    "ma",
    "ra",
    "man",
    "mtsn",
    "min",
    "madrasah ibtidaiyah",
    "madrasah tsanawiyah",
    "madrasah aliyah",
    "sekolah madrasah",
)

DESKRIPSI: dict[str, list[str]] = {
    "legalisir": [
        "cap basah",
        "cap asli",
        "cap",
        "stempel",
        "stempel basah",
        "stempel asli",
        "tanda tangan basah",
        "ttd basah",
        "cap dan tanda tangan",
        "cap dan ttd",
        "legalisir fotokopi",
        "legalisir fotocopy",
        "legalisir fc",
        "fotokopi legalisir",
        "pengesahan fotocopy",
        "pengesahan salinan",
        "sahkan fotokopi",
        "mengesahkan fotokopi",
        "legalisasi dokumen",
        "legalisir berkas",
    ],
    "surat_rekomendasi.paspor_umrah": [
        "paspor umrah",
        "paspor untuk umrah",
        "paspor buat umrah",
        "paspor jemaah umrah",
        "paspor jamaah umrah",
        "rekomendasi umrah",
        "rekomendasi imigrasi umrah",
        "surat imigrasi umrah",
    ],
    "surat_rekomendasi.paspor_haji": [
        "paspor haji",
        "paspor untuk haji",
        "paspor buat haji",
        "paspor jemaah haji",
        "paspor jamaah haji",
        "rekomendasi haji",
        "surat imigrasi haji",
    ],
    "surat_rekomendasi": [
        "rekomendasi imigrasi",
        "surat ke imigrasi",
        "surat untuk imigrasi",
        "surat buat imigrasi",
        "rekomendasi kemenag",
        "surat rekomendasi kemenag",
    ],
    "surat_izin.pendirian_madrasah": [
        "mendirikan madrasah",
        "pendirian madrasah",
        "dirikan madrasah",
        "membuka madrasah",
        "membuka madrasah baru",
        "buka madrasah baru",
        "madrasah baru",
        "membangun madrasah",
        "bangun madrasah",
        "bikin madrasah",
        "izin madrasah",
        "izin operasional madrasah",
        "izin pendirian",
        "izin mendirikan madrasah",
    ],
    "surat_keterangan.pindah_madrasah": [
        "pindah madrasah",
        "pindah sekolah",
        "mutasi siswa",
        "mutasi murid",
        "mutasi anak",
        "mutasi madrasah",
        "pindahan siswa",
        "surat pindah",
        "keterangan pindah",
        "pindah ke madrasah",
        "pindah dari madrasah",
        "surat mutasi",
    ],
    "tanda_daftar.rumah_ibadah": [
        "daftar masjid",
        "daftar mesjid",
        "daftar musholla",
        "daftar mushola",
        "daftar mushalla",
        "daftar langgar",
        "daftar surau",
        "daftar meunasah",
        "daftar gereja",
        "daftar pura",
        "daftar vihara",
        "daftar klenteng",
        "daftar rumah ibadah",
        "daftar rumah ibadat",
        "registrasi masjid",
        "id masjid",
        "nomor id masjid",
        "tanda daftar masjid",
        "tanda daftar rumah ibadah",
        "daftar tempat ibadah",
    ],
    "tanda_daftar.majelis_taklim": [
        "daftar majelis taklim",
        "daftar majlis taklim",
        "daftar pengajian",
        "daftar kelompok pengajian",
        "daftar taklim",
        "izin majelis taklim",
        "izin pengajian",
        "tanda daftar majelis taklim",
        "skt majelis taklim",
        "skt pengajian",
    ],
    "tanda_daftar": [
        "daftar yayasan keagamaan",
        "daftar ormas keagamaan",
        "skt ormas",
        "daftar lembaga",
        "pendaftaran lembaga",
        "daftar tpq",
        "daftar tpa",
    ],
    "narasumber": [
        "penceramah",
        "mengisi ceramah",
        "isi ceramah",
        "pengisi ceramah",
        "mengisi pengajian",
        "mengisi kajian",
        "isi kajian",
        "khatib",
        "khotib",
        "mubaligh",
        "narsum",
        "pemberi materi",
        "pengisi materi",
        "pengisi acara keagamaan",
        "rohaniawan",
        "penyumpahan",
        "pengambilan sumpah",
        "sumpah jabatan",
        "pelantikan dan sumpah",
        "juru dakwah",
        "ustadz untuk ceramah",
    ],
    "data_keagamaan": [
        "data jumlah masjid",
        "jumlah masjid",
        "jumlah rumah ibadah",
        "jumlah madrasah",
        "jumlah pemeluk agama",
        "jumlah umat",
        "jumlah penduduk beragama",
        "statistik keagamaan",
        "data statistik",
        "data penelitian",
        "data untuk skripsi",
        "data skripsi",
        "data tesis",
        "data riset",
        "data pernikahan",
        "data nikah",
        "data jemaah haji",
        "data jamaah haji",
        "data guru madrasah",
        "data pondok pesantren",
        "data pesantren",
    ],
    "surat_keputusan": [
        "sk penetapan",
        "penetapan pengurus",
    ],
    "surat_pengantar": [
        "pengantar ke instansi",
    ],
    "lembar_pengesahan": [
        "pengesahan proposal",
        "pengesahan laporan",
        "tanda tangan proposal",
        "ttd proposal",
        "pengesahan rkam",
        "pengesahan rencana kegiatan",
    ],
    "jadwal_sholat": [
        "jadwal imsakiyah",
        "jadwal imsak",
        "jadwal buka puasa",
        "waktu imsak",
    ],
}

OBJEK: dict[str, list[str]] = {
    "legalisir.ijazah": ["ijazah", "sttb", "skhun", "ijazah madrasah", "transkrip nilai"],
    "legalisir.buku_nikah": [
        "buku nikah",
        "surat nikah",
        "akta nikah",
        "kutipan akta nikah",
        "buku kawin",
    ],
    "surat_rekomendasi.paspor_umrah": ["paspor umrah", "umrah", "umrah plus"],
    "surat_rekomendasi.paspor_haji": ["paspor haji", "haji", "haji khusus"],
    "surat_keterangan.pindah_madrasah": ["pindah madrasah", "pindah sekolah", "mutasi"],
    "tanda_daftar.rumah_ibadah": ["masjid", "musholla", "mushola", "gereja", "pura", "vihara"],
    "tanda_daftar.majelis_taklim": ["majelis taklim", "majlis taklim", "pengajian"],
}

#: A service's name followed by one of these words names another institution's paper
#: (a school's "surat keterangan lulus", the police's "surat keterangan catatan
#: kepolisian"): a citizen sending or mentioning one is not asking for the service.
BUKAN_LAYANAN: dict[str, list[str]] = {
    "surat_keterangan": ["lulus", "sehat", "domisili", "kelakuan", "catatan", "kematian",
                         "kelahiran", "kerja", "usaha", "belum", "tidak", "penghasilan",
                         "ahli", "skck"],
}

PEMICU: dict[str, list[str]] = {
    "legalisir": ["cap", "stempel", "legalisir", "leges", "sah", "ttd", "legalisasi"],
    "surat_rekomendasi": ["surat", "rekomendasi", "rekom"],
    "surat_keterangan": ["surat", "keterangan"],
    "tanda_daftar": ["daftar", "skt"],
}
