"""The reader's vocabulary: the Vietnamese words by which administrative documents show their
structure and assign their work. Every list the reader matches against lives here, each with the
reason it is there; the outline, zone and task modules import it and keep no copies.

Words are written as documents write them (with diacritics); `ZONE_HEADINGS` and `TABLE_COLUMNS`
are matched against folded text (no diacritics, lower case) and are written folded.
"""

from __future__ import annotations

# --- agencies ---------------------------------------------------------------------------------

#: Words that open the name of an agency. A comma or "và" before one of them separates two agencies
#: ("Sở Tư pháp, Sở Nội vụ và Báo Bắc Ninh"); a heading that starts with one names who does the work.
#: Offices and posts are agencies too in a commune's plan ("Công chức Văn hóa - Xã hội", "Thủ trưởng
#: các cơ quan", "Chủ tịch UBND các xã"), and ministries' plans name departments of a ministry
#: ("Vụ Pháp chế", "Tổng cục Thuế", "Cục Thuế").
AGENCY_HEADS = (
    "Sở", "Bộ", "Ban", "Phòng", "Văn phòng", "VP", "UBND", "Ủy ban", "Uỷ ban", "UB", "HĐND", "Hội đồng", "Đài",
    "Báo", "Trung tâm", "Công an", "Công đoàn", "Hội", "Hiệp hội", "Liên minh", "Liên đoàn", "Mặt trận", "MTTQ",
    "Tỉnh đoàn", "Đoàn", "Công Đoàn", "Cục", "Chi cục", "Tổng cục", "Vụ", "Viện", "Trường", "Bệnh viện", "Kho bạc",
    "Ngân hàng", "Thanh tra", "Bộ Chỉ huy", "Bộ Tư lệnh", "Bảo hiểm", "Cổng", "Cơ sở", "Cơ quan", "Cán bộ",
    "Bưu điện", "Thủ trưởng", "Chủ tịch", "Giám đốc", "Tổ", "Hạt", "Lực lượng", "Người đứng đầu", "Tỉnh ủy",
    "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Đảng ủy", "Đảng uỷ", "Huyện ủy", "Công chức", "Tập đoàn", "Tổng công ty",
    "Công ty", "Đại học", "Học viện", "Thông tấn xã", "Kiểm toán", "Tòa án", "Viện kiểm sát", "Quân khu",
    "Bộ đội", "Hải quan", "Chính phủ", "Thủ tướng", "Phó Thủ tướng", "Bí thư", "Trưởng", "Chánh",
    # a commune's posts, named without "Công chức" in its plans ("Văn hóa - Xã hội: Làm đầu mối …")
    "Văn hóa - Xã hội", "Văn hóa- Xã hội", "Văn hóa – Xã hội", "Văn hoá - Xã hội", "Tư pháp - Hộ tịch",
    "Tư pháp- Hộ tịch", "Tư pháp – Hộ tịch", "Tài chính - Kế toán", "Tài chính- Kế toán", "Tài chính – Kế toán",
    "Địa chính - Xây dựng", "Địa chính – Xây dựng", "Quân sự", "Văn hóa", "Tư pháp", "Địa chính",
)

#: Heads that are common words when they are not an agency's name: "Hội nghị", "Báo cáo", "Trường hợp",
#: "Đoàn kết", "Tổ chức", "Ban hành", "Cơ sở dữ liệu", "Công chức, viên chức" (the people, not a post).
AGENCY_HEAD_NOT_BEFORE = {
    "Hội": ("nghị", "thảo", "thi", "đồng thi"),
    "Báo": ("cáo",),
    "Trường": ("hợp",),
    "Đoàn": ("kết", "viên"),
    "Tổ": ("chức",),
    "Ban": ("hành",),
    "Cơ sở": ("dữ liệu", "pháp lý", "hạ tầng", "vật chất"),
    "Phòng": ("chống", "ngừa"),
    "Bộ": ("máy", "phận một cửa", "tiêu chí", "hồ sơ", "chỉ số", "câu hỏi", "công cụ", "luật"),
    "Trưởng": ("thành",),
    "Đài": (),
    "Công chức": (", viên chức", "viên chức"),
    "Chính phủ": ("điện tử", "số"),
    "Vụ": ("việc",),
    "Trung tâm": (),
}

#: Group phrases: a plan assigns work to every unit of a kind ("các sở, ban, ngành", "UBND các xã,
#: phường", "các cơ quan, đơn vị"); they start an agency list as a head word does.
GROUP_WORDS = (
    "sở", "ban", "ngành", "cơ quan", "đơn vị", "địa phương", "doanh nghiệp", "tổ chức", "hội", "đoàn thể", "xã",
    "huyện", "phòng", "trường", "cấp", "bộ", "tỉnh", "thành phố", "Bộ", "Sở", "Ban", "Cơ quan", "Đơn vị",
    # the Party's bodies: "các cấp uỷ, tổ chức đảng", "các tỉnh uỷ, thành uỷ"
    "cấp ủy", "cấp uỷ", "tỉnh ủy", "tỉnh uỷ", "đảng ủy", "đảng uỷ", "bộ, ngành", "ngành",
)

# --- duties -----------------------------------------------------------------------------------

#: Verbs that open a duty after the names of its agencies at the head of a part ("Sở Nội vụ chủ trì, …",
#: "Sở Tư pháp có trách nhiệm …"). Written in lower case and matched case-sensitively: the words of an
#: agency's name after its head word are mostly capitalised, so a lower-case verb ends the name.
DUTY_VERBS = (
    "có trách nhiệm", "chịu trách nhiệm", "chủ trì", "phối hợp", "xây dựng", "kiện toàn", "tăng cường",
    "theo dõi", "thực hiện", "căn cứ", "triển khai", "tổ chức", "bố trí", "tham mưu", "hướng dẫn", "chỉ đạo",
    "chủ động", "nghiên cứu", "cung cấp", "đẩy mạnh", "khẩn trương", "tiếp tục", "rà soát", "hoàn thiện",
    "là cơ quan", "làm đầu mối", "được giao", "nghiêm túc", "quán triệt", "trình", "ban hành", "đôn đốc",
    "lãnh đạo", "phải", "sớm", "kiểm tra", "tuyên truyền", "phổ biến", "quản lý", "bảo đảm", "đảm bảo",
)

#: Verbs that end a name even before a colon ("Sở Nội vụ chủ trì, phối hợp …: …"); a weaker verb before a
#: colon belongs to the name ("Cán bộ quản lý Đài truyền thanh xã: …").
LEAD_VERBS = ("có trách nhiệm", "chịu trách nhiệm", "chủ trì", "phối hợp", "là cơ quan", "làm đầu mối")

#: What makes a sentence that opens with an agency an assignment ("Bộ Tài chính chủ trì …", "Các tỉnh uỷ
#: khẩn trương …").
ASSIGNING_VERBS = ("chủ trì", "có trách nhiệm", "chịu trách nhiệm chính", "làm đầu mối", "là cơ quan đầu mối",
                   "khẩn trương", "phải", "tiếp tục chủ trì")

#: Words that end a list of agencies inside a sentence ("Giao Sở X, Sở Y tổ chức …"): the duty's verbs, and
#: the prepositions and time words that may follow the names.
SENTENCE_VERBS = (
    "tổ chức", "thực hiện", "triển khai", "xây dựng", "tham mưu", "hướng dẫn", "theo dõi", "đôn đốc",
    "tuyên truyền", "rà soát", "cập nhật", "biên soạn", "phát hành", "thành lập", "kiểm tra", "đánh giá",
    "tổng hợp", "báo cáo", "bố trí", "nghiên cứu", "hỗ trợ", "duy trì", "nâng cao", "lồng ghép", "đẩy mạnh",
    "tăng cường", "cung cấp", "đăng tải", "phổ biến", "vận động", "quảng bá", "đưa tin", "giới thiệu",
    "sản xuất", "in ấn", "khảo sát", "tập huấn", "bồi dưỡng", "chỉ đạo", "kiện toàn", "ban hành",
    "đề xuất", "phối hợp", "chủ trì", "để", "nhằm", "trong", "trước", "hoàn thành", "kịp thời", "tiếp tục",
    "chủ động", "tiếp nhận", "giải quyết", "công khai", "số hóa", "vận hành", "quản lý", "phát động",
    "lựa chọn", "đăng ký", "thẩm định", "chuẩn bị", "mời", "cử", "biểu dương", "khen thưởng", "phát sóng",
    "treo", "lắp đặt", "thu thập", "điều tra", "giám sát", "kiểm soát", "lãnh đạo", "khẩn trương", "phải",
    "đảm bảo", "bảo đảm", "có trách nhiệm", "chịu trách nhiệm", "thường xuyên", "hằng tuần",
    "hàng tuần", "hằng tháng", "hàng tháng", "hằng quý", "hàng quý", "hằng năm", "hàng năm", "định kỳ", "theo",
    "tại", "về", "cho", "đến", "từ", "khi", "sau", "nếu",
)

#: Words that make a paragraph a request or an order to the agencies it then names.
REQUEST_WORDS = ("Giao", "Đề nghị", "Yêu cầu")

#: A role label that groups an agency's duties ("a) Chủ trì: …", "b) Phối hợp: …") or labels an
#: activity's agencies ("Cơ quan chủ trì: …", "Đơn vị phối hợp: …"), folded.
LEAD_LABELS = ("chu tri", "chi tri", "thuc hien")
SUPPORT_LABELS = ("phoi hop",)

# --- zones ------------------------------------------------------------------------------------

#: The parts of a plan, told by the words of their headings (folded). Checked in this order; the
#: first that matches names the zone. A part inherits its parent's zone unless its own heading names
#: another one ("2. Chế độ báo cáo" under "IV. Tổ chức thực hiện" is reporting).
ZONE_HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # the reporting duty: how and when units report (not tasks)
    ("reporting", ("che do bao cao", "che do thong tin bao cao", "thong tin bao cao", "bao cao ket qua",
                   "cong tac bao cao", "bao cao dinh ky", "tong hop bao cao", "thoi gian bao cao")),
    # money: where the funds come from (not tasks)
    ("funding", ("kinh phi", "nguon kinh phi", "nguon luc")),
    # the closing articles of a decision: who carries it out and when it takes effect (not tasks)
    # ("Trách nhiệm thi hành", "Tổ chức thi hành" assign duties in a circular or a decree: implementation)
    ("effect", ("hieu luc", "dieu khoan thi hanh", "dieu khoan chuyen tiep", "quy dinh chuyen tiep")),
    # who does what: agencies over their duties
    ("implementation", ("to chuc thuc hien", "to chuc thi hanh", "trach nhiem", "phan cong", "giao nhiem vu", "cac co quan, don vi",
                        "nhiem vu cu the cua", "nhiem vu cua cac", "phan cong nhiem vu", "trien khai thuc hien")),
    # what is to be done
    ("tasks", ("nhiem vu", "giai phap", "cac hoat dong", "hoat dong chu yeu", "noi dung thuc hien",
               "noi dung va giai phap", "cac nhiem vu", "chuong trinh hanh dong", "de nghi", "kien nghi")),
    # why, and what is aimed at (not tasks)
    ("objectives", ("muc dich", "yeu cau", "muc tieu", "quan diem", "chi tieu")),
    # the legal basis (not tasks)
    ("basis", ("can cu", "co so phap ly", "co so xay dung", "su can thiet", "thuc trang", "ket qua dat duoc",
               "tinh hinh", "danh gia")),
    # what is communicated and how (sections, not tasks, unless an item names its agency)
    ("content", ("noi dung", "hinh thuc", "doi tuong", "pham vi")),
    ("appendix", ("phu luc",)),
)

#: Zones whose items are work to be done; the other zones hold none.
WORK_ZONES = frozenset({"implementation", "tasks", "content", "appendix", ""})

# --- task tables ------------------------------------------------------------------------------

#: Column headings of a task table (folded), by what the column holds. A table is a task table when
#: its heading row names the work and who or when.
TABLE_COLUMNS = {
    "num": ("stt", "tt", "so tt", "so thu tu"),
    "title": ("noi dung", "nhiem vu", "hoat dong", "cong viec", "ten nhiem vu", "ten hoat dong", "giai phap"),
    "forms": ("hinh thuc",),
    "support": ("phoi hop",),
    "lead": ("chu tri",),
    "time": ("thoi gian", "thoi han", "tien do"),
    "targets": ("chi tieu", "so luong", "san pham", "ket qua"),
    "funding": ("kinh phi",),
    "agency": ("thuc hien", "co quan", "don vi", "trach nhiem"),
}

# --- document types ---------------------------------------------------------------------------

#: The type words of Vietnamese documents (folded) and their codes (Nghị định 30/2020, Phụ lục III).
KIND_WORDS = {
    "ke hoach": "KH", "quyet dinh": "QĐ", "chuong trinh": "CTr", "bao cao": "BC", "cong van": "CV",
    "huong dan": "HD", "thong bao": "TB", "chi thi": "CT", "nghi quyet": "NQ", "de an": "ĐA", "to trinh": "TTr",
    "nghi dinh": "NĐ", "thong tu": "TT", "quy che": "QC", "quy dinh": "QyĐ", "ket luan": "KL",
    "phuong an": "PA", "luat": "Luật", "thong tri": "TTr", "cong dien": "CĐ",
}
#: Names of the types, for messages ("Văn bản này là Nghị định …").
KIND_NAMES = {
    "KH": "Kế hoạch", "QĐ": "Quyết định", "CTr": "Chương trình", "BC": "Báo cáo", "CV": "Công văn",
    "HD": "Hướng dẫn", "TB": "Thông báo", "CT": "Chỉ thị", "NQ": "Nghị quyết", "ĐA": "Đề án", "TTr": "Tờ trình",
    "NĐ": "Nghị định", "TT": "Thông tư", "QC": "Quy chế", "QyĐ": "Quy định", "KL": "Kết luận", "PA": "Phương án",
    "Luật": "Luật", "CĐ": "Công điện", "VBHN": "Văn bản hợp nhất",
}
#: Types that are plans of work in themselves.
PLAN_KINDS = frozenset({"KH", "CTr", "ĐA", "PA"})
#: Types that may issue a plan attached to them ("Ban hành kèm theo Quyết định …").
ISSUING_KINDS = frozenset({"QĐ", "NQ", "CT"})
#: The types of document a decision may issue, written as a heading of the attached text (folded).
ATTACHED_KINDS = ("ke hoach", "chuong trinh", "de an", "quy che", "quy dinh", "huong dan", "phuong an")
#: Those whose heading may run on into the title on the same line ("KẾ HOẠCH TUYÊN TRUYỀN …"); the others
#: stand alone ("QUY CHẾ"), so "QUY ĐỊNH CHUNG" is a chapter's title, not an attached text.
TITLED_KINDS = ("ke hoach", "chuong trinh", "de an", "phuong an")

# --- closing words ----------------------------------------------------------------------------

#: Paragraphs that close an implementation part and assign nothing (folded starts).
CLOSING_STARTS = ("tren day", "trong qua trinh", "qua trinh thuc hien", "ke hoach nay co hieu luc",
                  "quyet dinh nay co hieu luc", "yeu cau cac", "de nghi cac co quan, don vi phan anh")
