"""The agencies of a province (cơ quan, tổ chức cấp tỉnh), as data.

Two tables: the agencies every current province has since the reorganisation of 1 July 2025, and
the agencies the 63 provinces had before (named by plans of 2022-2025), each with the key of the
current agency that carries it on (`successor`).

Placeholders in names and aliases: `{lvl}` is the level word of the province ("tỉnh" or "thành
phố"), `{N}` its bare name ("Hà Giang"), `{abbr}` the abbreviated level ("tỉnh" or "TP").

Decisions, so that the data can be corrected in one place:

- Press and broadcasting. In 2025 most provinces merged the provincial newspaper and the radio
  and television station into one body ("Báo và Phát thanh, Truyền hình tỉnh X"). The current
  tree has that one media unit (key BPTTH) with the old names of both as aliases; the legacy
  provinces keep the newspaper (BAO) and the station (DPTTH) apart, both succeeded by BPTTH.
- Mass organisations joined the Fatherland Front in 2025: in the current tree they are children
  of the Front (MTTQ); in the legacy tree they sit beside it, directly under the province.
- Sở Ngoại vụ is kept only by the two special cities and the provinces with a land border
  (`FOREIGN_AFFAIRS_PROVINCES`); elsewhere its work went to the Office of the People's Committee.
- Sở Dân tộc và Tôn giáo exists where the province had an ethnic minorities committee;
  `NO_ETHNIC_DEPARTMENT_PROVINCES` lists the current provinces without one (their ethnic and
  religious affairs went to Sở Nội vụ).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CURRENT_FROM = "2025-07-01"
LEGACY_TO = "2025-06-30"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    kind: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # key of the parent agency; None: directly under the province
    successor: str | None = None  # legacy only: key of the current agency that carries it on
    successor_fallback: tuple[str, ...] = field(default=())  # when the successor is absent there


# Current provinces (codes of the 34) that keep a Department of Foreign Affairs.
FOREIGN_AFFAIRS_PROVINCES = {
    "01", "79", "04", "08", "11", "12", "14", "15", "20", "22", "38", "40", "42", "44", "46", "48",
    "51", "52", "66", "68", "75", "80", "82", "91",
}
NO_ETHNIC_DEPARTMENT_PROVINCES = {"31", "33"}

_DEPT = "department"

CURRENT_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("UBND", "peoples_committee", "Ủy ban nhân dân {lvl} {N}", "UBND {lvl}",
               ("UBND {lvl} {N}", "UBND {abbr} {N}", "Ủy ban nhân dân {lvl}")),
    AgencySpec("HDND", "peoples_council", "Hội đồng nhân dân {lvl} {N}", "HĐND {lvl}",
               ("HĐND {lvl} {N}", "Hội đồng nhân dân {lvl}")),
    AgencySpec("VPUB", "office", "Văn phòng Ủy ban nhân dân {lvl} {N}", "VP UBND {lvl}",
               ("Văn phòng UBND {lvl}", "Văn phòng UBND {lvl} {N}", "VP UBND", "VPUB", "VPUBND")),
    AgencySpec("TTPVHCC", "service_center", "Trung tâm Phục vụ hành chính công {lvl} {N}", "TT PVHCC {lvl}",
               ("Trung tâm Phục vụ hành chính công {lvl}", "Trung tâm PVHCC", "TTPVHCC"), parent="VPUB"),
    AgencySpec("TTTTCB", "public_service_unit", "Trung tâm Thông tin - Công báo {lvl} {N}", "TT Thông tin - Công báo",
               ("Trung tâm Thông tin - Công báo", "Trung tâm Thông tin Công báo", "TT TT-CB"), parent="VPUB"),
    AgencySpec("CTTDT", "portal", "Cổng thông tin điện tử {lvl} {N}", "Cổng TTĐT {lvl}",
               ("Cổng thông tin điện tử {lvl}", "Cổng TTĐT", "CTTĐT"), parent="VPUB"),
    AgencySpec("SNV", _DEPT, "Sở Nội vụ {lvl} {N}", "Sở Nội vụ", ("Sở NV", "SNV")),
    AgencySpec("STC", _DEPT, "Sở Tài chính {lvl} {N}", "Sở Tài chính", ("Sở TC", "STC")),
    AgencySpec("STP", _DEPT, "Sở Tư pháp {lvl} {N}", "Sở Tư pháp", ("Sở TP", "STP")),
    AgencySpec("SXD", _DEPT, "Sở Xây dựng {lvl} {N}", "Sở Xây dựng", ("Sở XD", "SXD")),
    AgencySpec("SNNMT", _DEPT, "Sở Nông nghiệp và Môi trường {lvl} {N}", "Sở Nông nghiệp và Môi trường",
               ("Sở NN&MT", "Sở NNMT", "SNNMT")),
    AgencySpec("SCT", _DEPT, "Sở Công Thương {lvl} {N}", "Sở Công Thương", ("Sở CT", "SCT")),
    AgencySpec("SKHCN", _DEPT, "Sở Khoa học và Công nghệ {lvl} {N}", "Sở Khoa học và Công nghệ",
               ("Sở KH&CN", "Sở KHCN", "SKHCN")),
    AgencySpec("SVHTTDL", _DEPT, "Sở Văn hóa, Thể thao và Du lịch {lvl} {N}", "Sở Văn hóa, Thể thao và Du lịch",
               ("Sở VHTTDL", "Sở VH,TT&DL", "Sở VHTT&DL", "SVHTTDL")),
    AgencySpec("SGDDT", _DEPT, "Sở Giáo dục và Đào tạo {lvl} {N}", "Sở Giáo dục và Đào tạo",
               ("Sở GD&ĐT", "Sở GDĐT", "SGDĐT")),
    AgencySpec("SYT", _DEPT, "Sở Y tế {lvl} {N}", "Sở Y tế", ("Sở YT", "SYT")),
    AgencySpec("SDTTG", _DEPT, "Sở Dân tộc và Tôn giáo {lvl} {N}", "Sở Dân tộc và Tôn giáo",
               ("Sở DT&TG", "Sở DTTG", "SDTTG")),
    AgencySpec("SNGV", _DEPT, "Sở Ngoại vụ {lvl} {N}", "Sở Ngoại vụ", ("Sở NgV", "SNGV")),
    AgencySpec("TTR", "agency", "Thanh tra {lvl} {N}", "Thanh tra {lvl}", ("Thanh tra {lvl}", "TTr {lvl}")),
    AgencySpec("BPTTH", "media", "Báo và Phát thanh, Truyền hình {N}", "Báo và PT-TH {N}",
               ("Báo và Phát thanh, Truyền hình {lvl} {N}", "Báo và Phát thanh - Truyền hình {N}",
                "Đài Phát thanh và Truyền hình {lvl} {N}", "Đài Phát thanh và Truyền hình {N}",
                "Đài Phát thanh - Truyền hình {lvl}", "Đài PT-TH {lvl}", "Đài PTTH {lvl}", "Báo {N}")),
    AgencySpec("MTTQ", "front", "Ủy ban Mặt trận Tổ quốc Việt Nam {lvl} {N}", "Ủy ban MTTQ {lvl}",
               ("Ủy ban MTTQ Việt Nam {lvl}", "Ủy ban MTTQ Việt Nam {lvl} {N}", "MTTQ {lvl}", "UBMTTQ")),
    AgencySpec("TD", "mass_organisation", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {lvl} {N}", "{youth} {N}",
               ("{youth}", "{youth} {N}", "Đoàn TNCS Hồ Chí Minh {lvl}"), parent="MTTQ"),
    AgencySpec("HLHPN", "mass_organisation", "Hội Liên hiệp Phụ nữ {lvl} {N}", "Hội LHPN {lvl}",
               ("Hội Liên hiệp Phụ nữ {lvl}", "Hội Phụ nữ {lvl}", "Hội LHPN"), parent="MTTQ"),
    AgencySpec("HND", "mass_organisation", "Hội Nông dân {lvl} {N}", "Hội Nông dân {lvl}",
               ("Hội ND {lvl}",), parent="MTTQ"),
    AgencySpec("HCCB", "mass_organisation", "Hội Cựu chiến binh {lvl} {N}", "Hội Cựu chiến binh {lvl}",
               ("Hội CCB {lvl}",), parent="MTTQ"),
    AgencySpec("LDLD", "union", "Liên đoàn Lao động {lvl} {N}", "Liên đoàn Lao động {lvl}",
               ("LĐLĐ {lvl}", "Liên đoàn Lao động {lvl} {N}"), parent="MTTQ"),
    AgencySpec("CDVC", "union", "Công đoàn Viên chức {lvl} {N}", "Công đoàn Viên chức {lvl}",
               ("Công đoàn viên chức {lvl}", "CĐVC {lvl}", "CĐVC"), parent="LDLD"),
)


def _legacy(key: str, kind: str, name: str, short: str, aliases: tuple[str, ...] = (), *, parent=None,
            successor: str | None = None, fallback: tuple[str, ...] = ()) -> AgencySpec:
    return AgencySpec(key, kind, name, short, aliases, parent, successor or key, fallback)


LEGACY_AGENCIES: tuple[AgencySpec, ...] = (
    _legacy("UBND", "peoples_committee", "Ủy ban nhân dân {lvl} {N}", "UBND {lvl}",
            ("UBND {lvl} {N}", "UBND {abbr} {N}", "Ủy ban nhân dân {lvl}")),
    _legacy("HDND", "peoples_council", "Hội đồng nhân dân {lvl} {N}", "HĐND {lvl}",
            ("HĐND {lvl} {N}", "Hội đồng nhân dân {lvl}")),
    _legacy("VPUB", "office", "Văn phòng Ủy ban nhân dân {lvl} {N}", "VP UBND {lvl}",
            ("Văn phòng UBND {lvl}", "Văn phòng UBND {lvl} {N}", "VP UBND", "VPUB", "VPUBND")),
    _legacy("TTPVHCC", "service_center", "Trung tâm Phục vụ hành chính công {lvl} {N}", "TT PVHCC {lvl}",
            ("Trung tâm Phục vụ hành chính công {lvl}", "Trung tâm PVHCC", "TTPVHCC"), parent="VPUB"),
    _legacy("TTTTCB", "public_service_unit", "Trung tâm Thông tin - Công báo {lvl} {N}", "TT Thông tin - Công báo",
            ("Trung tâm Thông tin - Công báo", "Trung tâm Thông tin Công báo", "TT TT-CB"), parent="VPUB"),
    _legacy("CTTDT", "portal", "Cổng thông tin điện tử {lvl} {N}", "Cổng TTĐT {lvl}",
            ("Cổng thông tin điện tử {lvl}", "Cổng TTĐT", "CTTĐT"), parent="VPUB"),
    _legacy("SNV", _DEPT, "Sở Nội vụ {lvl} {N}", "Sở Nội vụ", ("Sở NV", "SNV")),
    _legacy("BTDKT", "agency", "Ban Thi đua - Khen thưởng {lvl} {N}", "Ban Thi đua - Khen thưởng {lvl}",
            ("Ban Thi đua khen thưởng {lvl}", "Ban TĐKT", "Ban TĐ-KT"), parent="SNV", successor="SNV"),
    _legacy("BTG", "agency", "Ban Tôn giáo {lvl} {N}", "Ban Tôn giáo {lvl}", ("Ban TG",), parent="SNV",
            successor="SDTTG", fallback=("SNV",)),
    _legacy("STTTT", _DEPT, "Sở Thông tin và Truyền thông {lvl} {N}", "Sở Thông tin và Truyền thông",
            ("Sở TT&TT", "Sở TTTT", "STTTT", "Sở TT-TT"), successor="SKHCN"),
    _legacy("SKHDT", _DEPT, "Sở Kế hoạch và Đầu tư {lvl} {N}", "Sở Kế hoạch và Đầu tư",
            ("Sở KH&ĐT", "Sở KHĐT", "SKHĐT"), successor="STC"),
    _legacy("SLDTBXH", _DEPT, "Sở Lao động - Thương binh và Xã hội {lvl} {N}", "Sở Lao động - Thương binh và Xã hội",
            ("Sở LĐTBXH", "Sở LĐ-TB&XH", "Sở LĐTB&XH", "SLĐTBXH"), successor="SNV"),
    _legacy("SGTVT", _DEPT, "Sở Giao thông vận tải {lvl} {N}", "Sở Giao thông vận tải",
            ("Sở GTVT", "SGTVT"), successor="SXD"),
    _legacy("STNMT", _DEPT, "Sở Tài nguyên và Môi trường {lvl} {N}", "Sở Tài nguyên và Môi trường",
            ("Sở TN&MT", "Sở TNMT", "STNMT"), successor="SNNMT"),
    _legacy("SNNPTNT", _DEPT, "Sở Nông nghiệp và Phát triển nông thôn {lvl} {N}",
            "Sở Nông nghiệp và Phát triển nông thôn", ("Sở NN&PTNT", "Sở NNPTNT", "SNNPTNT"), successor="SNNMT"),
    _legacy("STC", _DEPT, "Sở Tài chính {lvl} {N}", "Sở Tài chính", ("Sở TC", "STC")),
    _legacy("STP", _DEPT, "Sở Tư pháp {lvl} {N}", "Sở Tư pháp", ("Sở TP", "STP")),
    _legacy("SXD", _DEPT, "Sở Xây dựng {lvl} {N}", "Sở Xây dựng", ("Sở XD", "SXD")),
    _legacy("SCT", _DEPT, "Sở Công Thương {lvl} {N}", "Sở Công Thương", ("Sở CT", "SCT")),
    _legacy("SKHCN", _DEPT, "Sở Khoa học và Công nghệ {lvl} {N}", "Sở Khoa học và Công nghệ",
            ("Sở KH&CN", "Sở KHCN", "SKHCN")),
    _legacy("SVHTTDL", _DEPT, "Sở Văn hóa, Thể thao và Du lịch {lvl} {N}", "Sở Văn hóa, Thể thao và Du lịch",
            ("Sở VHTTDL", "Sở VH,TT&DL", "Sở VHTT&DL", "SVHTTDL")),
    _legacy("SGDDT", _DEPT, "Sở Giáo dục và Đào tạo {lvl} {N}", "Sở Giáo dục và Đào tạo",
            ("Sở GD&ĐT", "Sở GDĐT", "SGDĐT")),
    _legacy("SYT", _DEPT, "Sở Y tế {lvl} {N}", "Sở Y tế", ("Sở YT", "SYT")),
    _legacy("SNGV", _DEPT, "Sở Ngoại vụ {lvl} {N}", "Sở Ngoại vụ", ("Sở NgV", "SNGV"), fallback=("VPUB",)),
    _legacy("BDT", "agency", "Ban Dân tộc {lvl} {N}", "Ban Dân tộc {lvl}", ("Ban DT",), successor="SDTTG",
            fallback=("SNV",)),
    _legacy("TTR", "agency", "Thanh tra {lvl} {N}", "Thanh tra {lvl}", ("Thanh tra {lvl}", "TTr {lvl}")),
    _legacy("DPTTH", "media", "Đài Phát thanh và Truyền hình {N}", "Đài PT-TH {lvl}",
            ("Đài Phát thanh và Truyền hình {lvl} {N}", "Đài Phát thanh - Truyền hình {lvl}",
             "Đài Phát thanh - Truyền hình {N}", "Đài PT-TH {N}", "Đài PTTH {lvl}", "Đài PT&TH {lvl}"),
            successor="BPTTH"),
    _legacy("BAO", "media", "Báo {N}", "Báo {N}", ("Báo {lvl} {N}",), successor="BPTTH"),
    _legacy("MTTQ", "front", "Ủy ban Mặt trận Tổ quốc Việt Nam {lvl} {N}", "Ủy ban MTTQ {lvl}",
            ("Ủy ban MTTQ Việt Nam {lvl}", "Ủy ban MTTQ Việt Nam {lvl} {N}", "MTTQ {lvl}", "UBMTTQ")),
    _legacy("TD", "mass_organisation", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {lvl} {N}", "{youth} {N}",
            ("{youth}", "{youth} {N}", "Đoàn TNCS Hồ Chí Minh {lvl}")),
    _legacy("HLHPN", "mass_organisation", "Hội Liên hiệp Phụ nữ {lvl} {N}", "Hội LHPN {lvl}",
            ("Hội Liên hiệp Phụ nữ {lvl}", "Hội Phụ nữ {lvl}", "Hội LHPN")),
    _legacy("HND", "mass_organisation", "Hội Nông dân {lvl} {N}", "Hội Nông dân {lvl}", ("Hội ND {lvl}",)),
    _legacy("HCCB", "mass_organisation", "Hội Cựu chiến binh {lvl} {N}", "Hội Cựu chiến binh {lvl}",
            ("Hội CCB {lvl}",)),
    _legacy("LDLD", "union", "Liên đoàn Lao động {lvl} {N}", "Liên đoàn Lao động {lvl}",
            ("LĐLĐ {lvl}", "Liên đoàn Lao động {lvl} {N}")),
    _legacy("CDVC", "union", "Công đoàn Viên chức {lvl} {N}", "Công đoàn Viên chức {lvl}",
            ("Công đoàn viên chức {lvl}", "CĐVC {lvl}", "CĐVC"), parent="LDLD"),
)

# Every agency key the loader has ever written: units with one of these keys that the data no
# longer lists are closed on a reload (never other people's units).
MANAGED_KEYS = {spec.key for spec in CURRENT_AGENCIES} | {spec.key for spec in LEGACY_AGENCIES}


def current_agencies_for(province_code: str) -> list[AgencySpec]:
    """The agencies a current province has (some departments exist only in some provinces)."""
    out = []
    for spec in CURRENT_AGENCIES:
        if spec.key == "SNGV" and province_code not in FOREIGN_AFFAIRS_PROVINCES:
            continue
        if spec.key == "SDTTG" and province_code in NO_ETHNIC_DEPARTMENT_PROVINCES:
            continue
        out.append(spec)
    return out


# --- the divisions of every commune ------------------------------------------------------------
#
# Placeholders: `{lvl}` is the commune's level word ("xã", "phường", "thị trấn", "đặc khu") and `{N}`
# its bare name ("Đức Tân"). Codes are the commune's code + "." + key ("02264.VHXH",
# "old-51-531-21190.TPHT").
#
# Before 1 July 2025 a commune's work was shared among the posts of its civil servants (chức danh
# công chức cấp xã, Luật Cán bộ, công chức), its police and military command and its radio station;
# plans name the post as a division ("Bộ phận chủ trì: Văn hóa - Xã hội xã"). Since then every new
# commune, ward and special zone has the same four bodies (Nghị định 150/2025/NĐ-CP): the Office
# of the People's Council and Committee, an economic division (a ward's also covers infrastructure
# and urban affairs), a culture and social affairs division, and a public administration service
# centre. `successor` names the key of the new body that carries a post's work on; None: the
# commune itself (the police and the military command are not divisions of the new commune).


@dataclass(frozen=True)
class DivisionSpec:
    key: str
    kind: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()
    ward_name: str | None = None  # the name in a ward, when it differs
    successor: str | None = None  # legacy only


LEGACY_COMMUNE_DIVISIONS: tuple[DivisionSpec, ...] = (
    DivisionSpec("VPTK", "division", "Văn phòng – Thống kê {lvl} {N}", "Văn phòng – Thống kê",
                 ("Văn phòng – Thống kê {lvl}", "Văn phòng – Thống kê", "Công chức Văn phòng – Thống kê",
                  "VP – TK", "VP-TK {lvl}", "Văn phòng UBND {lvl}", "Văn phòng HĐND và UBND {lvl}"),
                 successor="VP"),
    # Justice and civil status are the office's work in the new commune.
    DivisionSpec("TPHT", "division", "Tư pháp – Hộ tịch {lvl} {N}", "Tư pháp – Hộ tịch",
                 ("Tư pháp – Hộ tịch {lvl}", "Tư pháp – Hộ tịch", "Công chức Tư pháp – Hộ tịch", "TP-HT {lvl}"),
                 successor="VP"),
    DivisionSpec("VHXH", "division", "Văn hóa – Xã hội {lvl} {N}", "Văn hóa – Xã hội",
                 ("Văn hóa – Xã hội {lvl}", "Văn hóa – Xã hội", "Công chức Văn hóa – Xã hội",
                  "Phòng Văn hóa – Xã hội", "VH-XH {lvl}", "Văn hóa – Thông tin {lvl}"),
                 successor="VHXH"),
    DivisionSpec("TCKT", "division", "Tài chính – Kế toán {lvl} {N}", "Tài chính – Kế toán",
                 ("Tài chính – Kế toán {lvl}", "Tài chính – Kế toán", "Công chức Tài chính – Kế toán", "TC-KT {lvl}"),
                 successor="KT"),
    # The post is "Địa chính – Nông nghiệp – Xây dựng và Môi trường" in a commune and "Địa chính –
    # Xây dựng – Đô thị và Môi trường" in a ward or township; plans write "Địa chính – Xây dựng".
    DivisionSpec("DCXD", "division", "Địa chính – Xây dựng {lvl} {N}", "Địa chính – Xây dựng",
                 ("Địa chính – Xây dựng {lvl}", "Địa chính – Xây dựng", "Công chức Địa chính – Xây dựng",
                  "Địa chính – Nông nghiệp – Xây dựng và Môi trường", "Địa chính – Xây dựng – Đô thị và Môi trường",
                  "Địa chính {lvl}", "ĐC-XD {lvl}"),
                 successor="KT"),
    DivisionSpec("CA", "agency", "Công an {lvl} {N}", "Công an {lvl}", ("Công an {lvl}", "Trưởng Công an {lvl}")),
    DivisionSpec("QS", "agency", "Ban Chỉ huy Quân sự {lvl} {N}", "Quân sự {lvl}",
                 ("Quân sự {lvl}", "Ban Chỉ huy Quân sự {lvl}", "Ban CHQS {lvl}", "Chỉ huy trưởng Quân sự {lvl}")),
    # The commune radio station's work (local news, loudspeakers) is information work of the new
    # culture and social affairs division.
    DivisionSpec("DTT", "media", "Đài truyền thanh {lvl} {N}", "Đài truyền thanh {lvl}",
                 ("Đài truyền thanh {lvl}", "Đài truyền thanh", "Đài Truyền thanh – Truyền hình {lvl}", "Đài TT {lvl}"),
                 successor="VHXH"),
)

CURRENT_COMMUNE_DIVISIONS: tuple[DivisionSpec, ...] = (
    DivisionSpec("VP", "office", "Văn phòng HĐND và UBND {lvl} {N}", "Văn phòng HĐND và UBND {lvl}",
                 ("Văn phòng HĐND và UBND", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {lvl}",
                  "Văn phòng UBND {lvl}", "VP HĐND-UBND {lvl}")),
    DivisionSpec("KT", "division", "Phòng Kinh tế {lvl} {N}", "Phòng Kinh tế",
                 ("Phòng Kinh tế {lvl}", "Kinh tế {lvl}"),
                 ward_name="Phòng Kinh tế, Hạ tầng và Đô thị {lvl} {N}"),
    DivisionSpec("VHXH", "division", "Phòng Văn hóa – Xã hội {lvl} {N}", "Phòng Văn hóa – Xã hội",
                 ("Phòng Văn hóa – Xã hội {lvl}", "Văn hóa – Xã hội {lvl}", "Văn hóa – Xã hội",
                  "Công chức Văn hóa – Xã hội", "Phòng VH-XH {lvl}")),
    DivisionSpec("TTPVHCC", "service_center", "Trung tâm Phục vụ hành chính công {lvl} {N}",
                 "Trung tâm Phục vụ hành chính công {lvl}",
                 ("Trung tâm Phục vụ hành chính công", "Trung tâm PVHCC {lvl}", "Bộ phận một cửa {lvl}")),
)

COMMUNE_DIVISION_KEYS = {spec.key for spec in LEGACY_COMMUNE_DIVISIONS} | {spec.key for spec in CURRENT_COMMUNE_DIVISIONS}
