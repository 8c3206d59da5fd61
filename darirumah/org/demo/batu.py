"""Pemerintah Kota Batu, after the August 2020 story.

Everyone working in the Balai Kota Among Tani building goes home for a set period (Dispendukcapil
included, with online services), while kecamatan, kelurahan and desa offices and the puskesmas,
each in their own small office, keep working.
"""

from .catalogue import SEKRETARIAT_DINAS, AgencySpec, OfficeSpec, Staff, U, UnitSpec, setda

BATU_OFFICE = "Balai Kota Among Tani"


def _local_office(name: str, address: str, lat: float, lon: float, radius_m: int = 60):
    return OfficeSpec(name, address, lat, lon, radius_m=radius_m, shared_rooms=("Ruang Pelayanan",))


def _kelurahan(code: str, name: str, office: str, staff: int) -> UnitSpec:
    return U(
        code,
        f"Kelurahan {name}",
        "kelurahan",
        ("pengelola_pem", staff - staff // 2),
        ("pengadministrasi", staff // 2),
        office=office,
        serves_public=True,
        min_on_site=2,
    )


def _desa(code: str, name: str, office: str) -> UnitSpec:
    # The elected village head (kepala desa) is not an ASN; the civil servant there is the
    # village secretary, recorded as the unit's head so the unit has someone answerable.
    return U(
        code,
        f"Desa {name}",
        "desa",
        office=office,
        serves_public=True,
        min_on_site=1,
        head=f"Sekretaris Desa {name}",
    )


def _puskesmas(code: str, name: str, staff: Staff) -> UnitSpec:
    return U(
        code,
        f"Puskesmas {name}",
        "puskesmas",
        *staff,
        office=f"Puskesmas {name}",
        serves_public=True,
        min_on_site=5,
    )


def _kecamatan(code: str, name: str, *children: UnitSpec, seksi: int = 2) -> UnitSpec:
    units = [
        U(
            f"{code}-SEK",
            "Sekretariat Kecamatan",
            "sekretariat",
            ("pengadministrasi", 2),
            ("bendahara", 1),
        ),
        U(f"{code}-PEM", "Seksi Pemerintahan", "seksi", ("pengelola_pem", 2)),
    ]
    if seksi > 1:
        units.append(U(f"{code}-PEL", "Seksi Pelayanan Umum", "seksi", ("pengelola_pem", 3)))
    return U(
        code,
        f"Kecamatan {name}",
        "kecamatan",
        *units,
        *children,
        office=f"Kantor Kecamatan {name}",
        serves_public=True,
        min_on_site=3,
        head=f"Camat {name}",
        short=f"Kec. {name}",
    )


BATU = AgencySpec(
    code="kota-batu",
    name="Pemerintah Kota Batu",
    region="Jawa Timur",
    city="Batu",
    latitude=-7.8710,
    longitude=112.5260,
    address="Jl. Panglima Sudirman No. 507, Kota Batu, Jawa Timur",
    phone="(0341) 512000",
    website="https://batukota.go.id",
    mail_domain="kota-batu.test",
    letterhead_title="PEMERINTAH KOTA BATU",
    letterhead_subtitle="Balai Kota Among Tani, Jl. Panglima Sudirman No. 507, Kota Batu",
    offices=(
        OfficeSpec(
            BATU_OFFICE,
            "Jl. Panglima Sudirman No. 507, Kota Batu",
            -7.87135,
            112.52485,
            radius_m=200,
            shared_rooms=(
                "Aula Among Tani",
                "Ruang Rapat Wali Kota",
                "Ruang Pelayanan Dispendukcapil",
            ),
        ),
        _local_office("Kantor Kecamatan Batu", "Jl. Munif, Kota Batu", -7.87021, 112.52690, 80),
        _local_office(
            "Kantor Kecamatan Junrejo", "Jl. Raya Junrejo, Kota Batu", -7.90712, 112.55210, 80
        ),
        _local_office(
            "Kantor Kecamatan Bumiaji", "Jl. Raya Bumiaji, Kota Batu", -7.84705, 112.52861, 80
        ),
        _local_office(
            "Kantor Kelurahan Ngaglik", "Jl. Ngaglik, Kota Batu", -7.87431, 112.52187, 50
        ),
        _local_office("Kantor Kelurahan Sisir", "Jl. Sisir, Kota Batu", -7.87952, 112.52611, 50),
        _local_office(
            "Kantor Kelurahan Songgokerto", "Jl. Songgoriti, Kota Batu", -7.87820, 112.51023, 50
        ),
        _local_office("Kantor Kelurahan Temas", "Jl. Temas, Kota Batu", -7.88403, 112.53395, 50),
        _local_office(
            "Kantor Kelurahan Dadaprejo", "Jl. Dadaprejo, Kota Batu", -7.91488, 112.56094, 50
        ),
        _local_office(
            "Kantor Desa Oro-Oro Ombo", "Jl. Oro-Oro Ombo, Kota Batu", -7.89903, 112.52402, 50
        ),
        _local_office("Kantor Desa Tlekung", "Jl. Tlekung, Kota Batu", -7.91304, 112.53607, 50),
        _local_office("Kantor Desa Bumiaji", "Jl. Bumiaji, Kota Batu", -7.85012, 112.53004, 50),
        _local_office("Kantor Desa Punten", "Jl. Punten, Kota Batu", -7.84305, 112.54011, 50),
        _local_office(
            "Kantor Desa Tulungrejo", "Jl. Tulungrejo, Kota Batu", -7.82003, 112.53002, 50
        ),
        _local_office("Puskesmas Batu", "Jl. Samadi, Kota Batu", -7.86902, 112.52304),
        _local_office("Puskesmas Sisir", "Jl. Sisir, Kota Batu", -7.87898, 112.52702),
        _local_office("Puskesmas Beji", "Jl. Beji, Kota Batu", -7.90004, 112.54503),
        _local_office("Puskesmas Bumiaji", "Jl. Raya Bumiaji, Kota Batu", -7.84802, 112.52903),
        _local_office("Puskesmas Junrejo", "Jl. Raya Junrejo, Kota Batu", -7.90701, 112.55198),
    ),
    units=(
        setda(
            BATU_OFFICE,
            [
                ("PEM", "Bagian Pemerintahan", (("analis_muda", 1), ("pengelola_pem", 3))),
                ("HUKUM", "Bagian Hukum", (("perancang_uu", 2), ("pengadministrasi", 2))),
                ("ORG", "Bagian Organisasi", (("analis_muda", 2), ("analis_pertama", 2))),
                (
                    "UMUM",
                    "Bagian Umum",
                    (("pengadministrasi", 4), ("bendahara", 1), ("arsiparis", 2)),
                ),
                ("PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", (("pranata_humas", 4),)),
                ("EKON", "Bagian Perekonomian dan Sumber Daya Alam", (("analis_pertama", 3),)),
                ("PBJ", "Bagian Pengadaan Barang dan Jasa", (("pengelola_barjas", 3),)),
            ],
        ),
        U(
            "BKPSDM",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "badan",
            U("BKPSDM-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS, ("arsiparis", 1)),
            U(
                "BKPSDM-PPI",
                "Bidang Pengadaan, Pemberhentian dan Informasi",
                "bidang",
                ("analis_sdm", 2),
                ("pranata_sdm", 2),
                ("pranata_komputer", 1),
            ),
            U(
                "BKPSDM-MP",
                "Bidang Mutasi dan Promosi",
                "bidang",
                ("analis_sdm", 2),
                ("pranata_sdm", 3),
            ),
            U(
                "BKPSDM-PK",
                "Bidang Pengembangan Kompetensi dan Kinerja",
                "bidang",
                ("analis_sdm", 2),
                ("pranata_sdm", 2),
            ),
            office=BATU_OFFICE,
            short="BKPSDM",
        ),
        U(
            "DISPENDUKCAPIL",
            "Dinas Kependudukan dan Pencatatan Sipil",
            "dinas",
            U("DUK-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS),
            U(
                "DUK-DAFDUK",
                "Bidang Pelayanan Pendaftaran Penduduk",
                "bidang",
                ("pengadm_duk", 5),
                ("adminduk", 1),
            ),
            U("DUK-CAPIL", "Bidang Pelayanan Pencatatan Sipil", "bidang", ("pengadm_duk", 5)),
            U(
                "DUK-PIAK",
                "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                "bidang",
                ("adminduk", 3),
                ("pranata_komputer", 2),
            ),
            office=BATU_OFFICE,
            serves_public=True,
            min_on_site=3,
            short="Dispendukcapil",
        ),
        U(
            "DISKOMINFO",
            "Dinas Komunikasi dan Informatika",
            "dinas",
            U("KOM-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS),
            U("KOM-IKP", "Bidang Informasi dan Komunikasi Publik", "bidang", ("pranata_humas", 4)),
            U("KOM-APTIKA", "Bidang Aplikasi Informatika", "bidang", ("pranata_komputer", 5)),
            U(
                "KOM-STAT",
                "Bidang Statistik dan Persandian",
                "bidang",
                ("statistisi", 2),
                ("sandiman", 1),
            ),
            office=BATU_OFFICE,
            short="Diskominfo",
        ),
        U(
            "DINKES",
            "Dinas Kesehatan",
            "dinas",
            U("KES-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS, ("pengadministrasi", 1)),
            U(
                "KES-KESMAS",
                "Bidang Kesehatan Masyarakat",
                "bidang",
                ("penyuluh_kesehatan", 2),
                ("nutrisionis", 2),
            ),
            U(
                "KES-P2P",
                "Bidang Pencegahan dan Pengendalian Penyakit",
                "bidang",
                ("epidemiolog", 3),
                ("sanitarian", 1),
                ("perawat", 1),
            ),
            U(
                "KES-YANKES",
                "Bidang Pelayanan dan Sumber Daya Kesehatan",
                "bidang",
                ("dokter", 1),
                ("perawat", 3),
            ),
            _puskesmas(
                "PKM-BATU",
                "Batu",
                (
                    ("dokter", 2),
                    ("perawat", 3),
                    ("bidan", 2),
                    ("pranata_lab", 1),
                    ("perekam_medis", 1),
                ),
            ),
            _puskesmas(
                "PKM-SISIR",
                "Sisir",
                (("dokter", 1), ("perawat", 3), ("bidan", 2), ("perekam_medis", 1)),
            ),
            _puskesmas(
                "PKM-BEJI", "Beji", (("dokter", 1), ("perawat", 3), ("bidan", 2), ("sanitarian", 1))
            ),
            _puskesmas(
                "PKM-BUMIAJI",
                "Bumiaji",
                (("dokter", 2), ("perawat", 3), ("bidan", 2), ("nutrisionis", 1)),
            ),
            _puskesmas(
                "PKM-JUNREJO",
                "Junrejo",
                (("dokter", 1), ("perawat", 2), ("bidan", 2), ("pranata_lab", 1)),
            ),
            office=BATU_OFFICE,
            short="Dinkes",
        ),
        U(
            "BAPPELITBANGDA",
            "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
            "badan",
            U("BAP-SEK", "Sekretariat", "sekretariat", ("pengadministrasi", 2), ("bendahara", 1)),
            U("BAP-REN", "Bidang Perencanaan Pembangunan", "bidang", ("perencana", 4)),
            U("BAP-LITBANG", "Bidang Penelitian dan Pengembangan", "bidang", ("perencana", 3)),
            office=BATU_OFFICE,
            short="Bappelitbangda",
        ),
        U(
            "BKD",
            "Badan Keuangan Daerah",
            "badan",
            U("BKD-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS),
            U("BKD-ANG", "Bidang Anggaran", "bidang", ("analis_keuangan", 4)),
            U(
                "BKD-PERB",
                "Bidang Perbendaharaan",
                "bidang",
                ("analis_keuangan", 2),
                ("bendahara", 2),
            ),
            U("BKD-PEND", "Bidang Pendapatan", "bidang", ("pengelola_pendapatan", 5)),
            office=BATU_OFFICE,
            short="BKD",
        ),
        U(
            "INSPEKTORAT",
            "Inspektorat Daerah",
            "inspektorat",
            ("auditor", 5),
            ("ppupd", 2),
            U("INSP-SEK", "Sekretariat", "sekretariat", ("pengadministrasi", 2), ("bendahara", 1)),
            office=BATU_OFFICE,
            head="Inspektur Daerah",
            short="Inspektorat",
        ),
        U(
            "DISPARTA",
            "Dinas Pariwisata",
            "dinas",
            U("PAR-SEK", "Sekretariat", "sekretariat", *SEKRETARIAT_DINAS),
            U("PAR-DEST", "Bidang Destinasi Pariwisata", "bidang", ("adyatama", 4)),
            U(
                "PAR-PEM",
                "Bidang Pemasaran Pariwisata",
                "bidang",
                ("adyatama", 3),
                ("pranata_humas", 1),
            ),
            office=BATU_OFFICE,
            short="Disparta",
        ),
        _kecamatan(
            "KEC-BATU",
            "Batu",
            _kelurahan("KEL-NGAGLIK", "Ngaglik", "Kantor Kelurahan Ngaglik", 4),
            _kelurahan("KEL-SISIR", "Sisir", "Kantor Kelurahan Sisir", 4),
            _kelurahan("KEL-SONGGOKERTO", "Songgokerto", "Kantor Kelurahan Songgokerto", 3),
            _kelurahan("KEL-TEMAS", "Temas", "Kantor Kelurahan Temas", 3),
            _desa("DESA-OROOROOMBO", "Oro-Oro Ombo", "Kantor Desa Oro-Oro Ombo"),
        ),
        _kecamatan(
            "KEC-JUNREJO",
            "Junrejo",
            _kelurahan("KEL-DADAPREJO", "Dadaprejo", "Kantor Kelurahan Dadaprejo", 4),
            _desa("DESA-TLEKUNG", "Tlekung", "Kantor Desa Tlekung"),
            seksi=1,
        ),
        _kecamatan(
            "KEC-BUMIAJI",
            "Bumiaji",
            _desa("DESA-BUMIAJI", "Bumiaji", "Kantor Desa Bumiaji"),
            _desa("DESA-PUNTEN", "Punten", "Kantor Desa Punten"),
            _desa("DESA-TULUNGREJO", "Tulungrejo", "Kantor Desa Tulungrejo"),
        ),
    ),
    logins=(
        ("pegawai", "DUK-DAFDUK"),
        ("atasan", "DUK-DAFDUK"),
        ("kepala_opd", "DISPENDUKCAPIL"),
        ("admin_opd", "DUK-SEK"),
        ("bkpsdm", "BKPSDM-PK"),
        ("kesehatan", "KES-P2P"),
    ),
)
