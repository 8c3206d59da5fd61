"""Positions of the demo staff: grade ranges (golongan), job classes (kelas jabatan), titles.

Plausible for a city government after the 2021 simplification (most eselon IV posts became
functional posts); the numbers are typical, not any one region's regulation.
"""

from dataclasses import dataclass

# The latest appointment month used in NIPs: a fixed past year keeps every NIP valid (never "in
# the future") on whatever day the demo runs, and keeps NIPs the same from year to year.
LAST_APPOINTMENT_YEAR = 2024
FIRST_PPPK_YEAR = 2021  # the first large PPPK intake beyond teachers

GRADES = (
    "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d",
    "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip


@dataclass(frozen=True)
class Post:
    """A kind of position: its grade range (golongan), job class and who holds it."""

    title: str
    grades: tuple[str, str]  # PNS golongan range, from entry to the ceiling of the post
    job_class: int  # kelas jabatan
    pppk_grade: str = ""  # the PPPK golongan when the post is open to PPPK; "" = PNS only
    degrees: tuple[str, ...] = ("",)  # academic titles written after the name
    prefix: str = ""  # a title written before the name ("dr.")
    born: tuple[int, int] = (1970, 2000)


S1_ADMIN = ("S.Sos.", "S.AP.", "S.IP.", "S.E.", "S.H.")
MASTERS = (
    "S.Sos., M.Si.",
    "S.H., M.H.",
    "S.E., M.M.",
    "S.STP., M.AP.",
    "S.T., M.T.",
    "S.IP., M.Si.",
)

# Heads of units by level (post-2021 structure: JPT Pratama, administrator, pengawas).
HEADS = {
    "sekda": Post("", ("IV/c", "IV/e"), 15, degrees=MASTERS, born=(1966, 1971)),
    "opd": Post("", ("IV/b", "IV/d"), 14, degrees=MASTERS, born=(1967, 1975)),
    "administrator": Post("", ("IV/a", "IV/b"), 11, degrees=MASTERS + S1_ADMIN, born=(1968, 1981)),
    "pengawas": Post("", ("III/c", "IV/a"), 9, degrees=S1_ADMIN, born=(1970, 1987)),
    "kapus": Post(
        "", ("III/d", "IV/a"), 10, degrees=("M.Kes.", ""), prefix="dr.", born=(1972, 1986)
    ),
    "sekdes": Post("", ("II/c", "III/b"), 6, degrees=("", "S.Sos."), born=(1972, 1990)),
}

POSITIONS = {
    "analis_muda": Post(
        "Analis Kebijakan Ahli Muda", ("III/c", "IV/a"), 9, degrees=S1_ADMIN, born=(1970, 1988)
    ),
    "analis_pertama": Post("Analis Kebijakan Ahli Pertama", ("III/a", "III/b"), 8, "IX", S1_ADMIN),
    "pengadministrasi": Post(
        "Pengadministrasi Perkantoran", ("II/a", "III/b"), 5, "V", born=(1968, 2000)
    ),
    "pengolah_data": Post(
        "Pengolah Data dan Informasi", ("II/c", "III/b"), 6, "VII", ("A.Md.", "")
    ),
    "arsiparis": Post("Arsiparis Terampil", ("II/c", "III/b"), 6, "VII", ("A.Md.",)),
    "bendahara": Post(
        "Bendahara", ("II/c", "III/c"), 7, degrees=("A.Md.", "S.E."), born=(1970, 1995)
    ),
    "pengelola_pem": Post(
        "Pengelola Layanan Kewilayahan", ("II/c", "III/c"), 7, "VII", ("", "S.IP.")
    ),
    "pranata_komputer": Post(
        "Pranata Komputer Ahli Pertama", ("III/a", "III/b"), 8, "IX", ("S.Kom.", "S.T.")
    ),
    "pranata_humas": Post(
        "Pranata Hubungan Masyarakat Ahli Pertama",
        ("III/a", "III/b"),
        8,
        "IX",
        ("S.I.Kom.", "S.Sos."),
    ),
    "statistisi": Post(
        "Statistisi Ahli Pertama", ("III/a", "III/b"), 8, "IX", ("S.Si.", "S.Stat.")
    ),
    "sandiman": Post(
        "Sandiman Ahli Pertama", ("III/a", "III/b"), 8, degrees=("S.Kom.", "S.Tr.Kom.")
    ),
    "analis_sdm": Post(
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        ("III/c", "IV/a"),
        9,
        degrees=("S.Psi.", "S.AP.", "S.Sos."),
        born=(1970, 1988),
    ),
    "pranata_sdm": Post(
        "Pranata Sumber Daya Manusia Aparatur Terampil", ("II/c", "III/b"), 6, "VII", ("A.Md.", "")
    ),
    "adminduk": Post(
        "Administrator Database Kependudukan Ahli Pertama",
        ("III/a", "III/b"),
        8,
        "IX",
        ("S.Kom.", "S.T."),
    ),
    "pengadm_duk": Post(
        "Pengadministrasi Registrasi dan Pencatatan Sipil", ("II/a", "III/a"), 5, "V", ("", "A.Md.")
    ),
    "auditor": Post(
        "Auditor Ahli Muda",
        ("III/c", "IV/a"),
        9,
        degrees=("S.E., Ak.", "S.E.", "S.H."),
        born=(1970, 1988),
    ),
    "ppupd": Post(
        "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Pertama",
        ("III/a", "III/b"),
        8,
        degrees=("S.IP.", "S.H."),
    ),
    "perencana": Post(
        "Perencana Ahli Muda",
        ("III/c", "IV/a"),
        9,
        degrees=("S.T., M.T.", "S.E., M.E.", "S.P."),
        born=(1970, 1988),
    ),
    "perancang_uu": Post(
        "Perancang Peraturan Perundang-undangan Ahli Pertama",
        ("III/a", "III/b"),
        8,
        degrees=("S.H.",),
    ),
    "pengelola_barjas": Post(
        "Pengelola Pengadaan Barang/Jasa Ahli Pertama",
        ("III/a", "III/b"),
        8,
        degrees=("S.T.", "S.E."),
    ),
    "analis_keuangan": Post(
        "Analis Keuangan Pusat dan Daerah Ahli Pertama",
        ("III/a", "III/b"),
        8,
        "IX",
        ("S.E., Ak.", "S.E."),
    ),
    "pengelola_pendapatan": Post(
        "Pengelola Pendapatan Daerah", ("II/c", "III/c"), 7, "VII", ("A.Md.", "S.E.")
    ),
    "pengelola_aset": Post(
        "Pengelola Barang Milik Daerah", ("II/c", "III/c"), 7, "VII", ("A.Md.", "S.E.")
    ),
    "adyatama": Post(
        "Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Pertama",
        ("III/a", "III/b"),
        8,
        "IX",
        ("S.Par.", "S.E."),
    ),
    "dokter": Post(
        "Dokter Ahli Pertama", ("III/b", "III/d"), 10, "X", prefix="dr.", born=(1975, 1997)
    ),
    "perawat": Post("Perawat Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.Kep.", "S.Kep., Ners")),
    "bidan": Post("Bidan Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.Keb.",)),
    "sanitarian": Post(
        "Tenaga Sanitasi Lingkungan Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.KL.",)
    ),
    "nutrisionis": Post("Nutrisionis Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.Gz.",)),
    "pranata_lab": Post(
        "Pranata Laboratorium Kesehatan Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.AK.",)
    ),
    "perekam_medis": Post("Perekam Medis Terampil", ("II/c", "III/b"), 7, "VII", ("A.Md.RMIK.",)),
    "epidemiolog": Post(
        "Epidemiolog Kesehatan Ahli Pertama", ("III/a", "III/b"), 8, "IX", ("S.KM.",)
    ),
    "penyuluh_kesehatan": Post(
        "Penyuluh Kesehatan Masyarakat Ahli Pertama", ("III/a", "III/b"), 8, "IX", ("S.KM.",)
    ),
}
