"""The catalogue of communication outputs (danh mục sản phẩm tuyên truyền) and of languages.

The catalogue is data seeded by a migration; this module is its source, so that codes stay stable
and labels are translatable. Each type names its unit of measure as the plans write it (bài, lớp,
cuộc, số, tờ, lượt phát ...) and the words a plan target's counted thing uses for it: "10 lớp" →
training class, "4 tin, bài/tháng" → news item on the e-portal, "12 số" → bulletin issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.core.text import fold


def words(text: str) -> str:
    """Folded text reduced to words: 'Tin, bài' → 'tin bai', 'H'Mông' → 'h mong'."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text or "")).strip()


@dataclass(frozen=True)
class TypeSpec:
    code: str
    label: object  # English msgid, shown translated
    name_vi: str  # the Vietnamese name, as spreadsheets and documents write it
    measure: str  # unit of measure (đơn vị tính)
    counts_people: bool = False
    has_language: bool = False
    target_words: tuple[str, ...] = field(default=())
    order: int = 100


CATALOGUE: tuple[TypeSpec, ...] = (
    TypeSpec("portal_article", _("News item or article on the e-portal"), "Tin, bài trên Cổng/Trang thông tin điện tử",
             "tin, bài", target_words=("tin", "bai", "tin bai", "bai viet", "tin bai viet", "tin bai anh"), order=10),
    TypeSpec("radio_report", _("Radio report"), "Tin, phóng sự phát thanh", "tin, bài", has_language=True,
             target_words=("phong su", "phong su phat thanh", "tin phat thanh", "bai phat thanh"), order=20),
    TypeSpec("tv_report", _("TV report"), "Tin, phóng sự truyền hình", "phóng sự", has_language=True,
             target_words=("phong su truyen hinh", "tin truyen hinh"), order=30),
    TypeSpec("broadcast_programme", _("Radio or TV programme"), "Chuyên mục phát thanh, truyền hình", "chuyên mục",
             has_language=True, target_words=("chuyen muc", "chuong trinh", "chuyen trang", "tiet muc"), order=40),
    TypeSpec("newspaper_article", _("Newspaper article"), "Bài báo", "bài",
             target_words=("bai bao", "tin bai bao", "bai bao in"), order=50),
    TypeSpec("bulletin", _("Bulletin issue"), "Bản tin", "số", target_words=("so", "ban tin", "so ban tin", "ky"), order=60),
    TypeSpec("leaflet", _("Leaflet"), "Tờ rơi, tờ gấp", "tờ", target_words=("to", "to roi", "to gap", "to roi to gap"),
             order=70),
    TypeSpec("poster", _("Poster or billboard"), "Áp phích, pa nô, tranh cổ động", "bức",
             target_words=("ap phich", "pa no", "pano", "tranh co dong", "buc", "bang quang cao"), order=80),
    TypeSpec("banner_slogan", _("Banner and slogan"), "Băng rôn, khẩu hiệu", "băng rôn",
             target_words=("bang ron", "bang zon", "khau hieu", "bang ron khau hieu", "cum khau hieu"), order=90),
    TypeSpec("conference", _("Conference"), "Hội nghị", "hội nghị", counts_people=True,
             target_words=("hoi nghi", "hoi thao", "toa dam", "buoi"), order=100),
    TypeSpec("training_class", _("Training class"), "Lớp tập huấn, bồi dưỡng", "lớp", counts_people=True,
             target_words=("lop", "lop tap huan", "lop boi duong", "khoa", "khoa hoc", "nguoi", "luot", "luot nguoi",
                           "hoc vien", "dai bieu", "can bo", "cong chuc"), order=110),
    TypeSpec("contest", _("Contest"), "Cuộc thi", "cuộc", counts_people=True,
             target_words=("cuoc", "cuoc thi", "hoi thi", "luot du thi", "bai du thi"), order=120),
    TypeSpec("business_dialogue", _("Dialogue with businesses"), "Đối thoại với doanh nghiệp", "cuộc",
             counts_people=True, target_words=("doi thoai", "cuoc doi thoai", "buoi doi thoai", "doanh nghiep"),
             order=130),
    TypeSpec("social_post", _("Social-media post"), "Bài đăng trên mạng xã hội", "bài",
             target_words=("bai dang", "tin dang", "luot dang", "bai dang mang xa hoi"), order=140),
    TypeSpec("loudspeaker", _("Loudspeaker broadcast"), "Phát thanh trên loa truyền thanh cơ sở", "lượt phát",
             has_language=True, target_words=("luot phat", "luot phat song", "luot phat thanh", "loa", "buoi phat"),
             order=150),
    TypeSpec("publication", _("Publication or book"), "Ấn phẩm, cuốn sách, sổ tay", "cuốn",
             target_words=("cuon", "an pham", "cuon sach", "sach", "so tay", "tai lieu", "bo tai lieu"), order=160),
    TypeSpec("video_clip", _("Video clip"), "Video clip, phim ngắn", "video",
             target_words=("video", "clip", "video clip", "phim", "phim ngan", "infographic"), order=170),
    # Counted by the procedure catalogue: one per publication decision applied (the number of procedures
    # it changed is in the record's title). The work a plan sets is the update itself ("Rà soát, cập nhật
    # các thủ tục hành chính trên Trang, Cổng thông tin điện tử", "kịp thời cập nhật khi có sự thay
    # đổi"), done once per decision whatever its length, so "lần" and not "TTHC".
    TypeSpec("procedure_update", _("Administrative procedures updated and published"), "Cập nhật, công khai TTHC",
             "lần", target_words=(
                 "lan cap nhat", "cap nhat tthc", "cap nhat cac tthc", "cap nhat cong khai tthc", "cong khai tthc",
                 "cong khai cac tthc", "niem yet tthc", "niem yet cac tthc", "cap nhat thu tuc hanh chinh",
                 "cap nhat cac thu tuc hanh chinh", "cong khai thu tuc hanh chinh", "cong khai cac thu tuc hanh chinh",
                 "niem yet thu tuc hanh chinh", "niem yet cac thu tuc hanh chinh", "cap nhat danh muc thu tuc hanh chinh",
                 "cong bo thu tuc hanh chinh"),
             order=180),
    # Counted by surveys when a survey closes: one per survey, its respondents as the people reached.
    TypeSpec("satisfaction_survey", _("Satisfaction survey"), "Khảo sát mức độ hài lòng", "cuộc", counts_people=True,
             target_words=("khao sat", "cuoc khao sat", "dot khao sat", "khao sat su hai long",
                           "khao sat muc do hai long"), order=190),
    # Counted by knowledge contests when a round's results are published: one per round and unit, its
    # participants from that unit as the quantity (which unit mobilised most people).
    TypeSpec("contest_participation", _("Participants in an online contest"), "Lượt người dự thi trực tuyến",
             "lượt người", counts_people=True, target_words=("luot nguoi du thi", "nguoi du thi", "luot du thi truc tuyen"),
             order=200),
    TypeSpec("other", _("Other output"), "Khác", "sản phẩm", order=999),
)
CATALOGUE_BY_CODE = {spec.code: spec for spec in CATALOGUE}

# Units of measure that divide (1,5 giờ, 2,5 km, 0,5 triệu đồng): an output counted in one of them
# keeps decimals. Every other measure counts whole things (lớp, bài, số, tờ, cuộc, lượt phát …,
# and whatever an administrator names a new type's measure): 1,5 lớp is refused.
DIVISIBLE_MEASURES = ("gio", "phut", "ngay", "km", "m", "m2", "m3", "ha", "kg", "tan", "lit", "dong",
                      "nghin dong", "trieu dong", "ty dong", "gb", "mb")

# What the form and the spreadsheet say when an output has no title (a module's record may have none).
MISSING_TITLE = _("The title or content is missing. Write what was published or held, e.g. the article's title "
                  "or the subject of the class.")


def measure_is_whole(measure: str) -> bool:
    """Whether a quantity in this unit of measure is a whole number ('lớp', 'tin, bài'), not one that
    divides ('giờ', 'km', 'm²', 'triệu đồng', 'giờ phát sóng')."""
    w = words(measure)
    return not any(w == unit or w.startswith(unit + " ") for unit in DIVISIBLE_MEASURES)


def whole_quantity_problem(measure: str, quantity) -> str | None:
    """"Số lượng lớp phải là số nguyên." for 1,5 of a measure that counts whole things; None otherwise
    (and for what is not a number: the quantity's bound says that)."""
    if quantity is None or quantity == "" or not measure_is_whole(measure):
        return None
    try:
        number = Decimal(str(quantity).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number == number.to_integral_value():
        return None
    return gettext("The quantity of %(measure)s must be a whole number.") % {"measure": measure}

# A target counted in people ("40 người", "khoảng 1000 lượt") is served by the outputs recorded for
# the other targets of its task (the classes, the conferences): its actual is their people reached.
PEOPLE_WORDS = ("nguoi", "luot", "luot nguoi", "hoc vien", "dai bieu", "can bo", "cong chuc", "thi sinh",
                "nguoi tham du", "nguoi tham gia", "luot nguoi tham gia", "luot tham gia", "luot du thi")


# "40 người dân", "200 học viên là cán bộ", "100 đại biểu các sở" ("lượt" alone begins "lượt phát" too)
PEOPLE_PREFIXES = ("nguoi ", "luot nguoi", "hoc vien ", "dai bieu ", "can bo ", "cong chuc ", "thi sinh ")


def target_counts_people(target_unit: str) -> bool:
    """Whether a target's counted thing is people ('40 người', '1000 lượt người'), whose actual is
    `people_reached`, rather than outputs ('10 lớp'), whose actual is `quantity`."""
    w = words(target_unit)
    return w in PEOPLE_WORDS or w.startswith(PEOPLE_PREFIXES)


def type_for_target_unit(target_unit: str) -> str | None:
    """The output type code a target's counted thing maps to; the longest matching word wins
    ('tin, bài' → e-portal; 'phóng sự truyền hình' → TV report; 'lượt phát' → loudspeaker)."""
    w = words(target_unit)
    if not w:
        return None
    best: tuple[int, str] | None = None
    for spec in CATALOGUE:
        for phrase in spec.target_words:
            if w == phrase or w.startswith(phrase + " "):
                if best is None or len(phrase) > best[0]:
                    best = (len(phrase), spec.code)
    return best[1] if best else None


def type_for_text(text: str) -> str | None:
    """An output type suggested by a task's title: the longest catalogue phrase of two words or more
    found in it ('Tổ chức lớp tập huấn ...' → training class)."""
    w = f" {words(text)} "
    best: tuple[int, str] | None = None
    for spec in CATALOGUE:
        for phrase in spec.target_words:
            if " " in phrase and f" {phrase} " in w and (best is None or len(phrase) > best[0]):
                best = (len(phrase), spec.code)
    return best[1] if best else None


# ---------------------------------------------------------------- which outputs meet which targets

# The compatibility table (bảng tương thích): which output types count toward a target whose counted
# thing begins with these words. The database table `OutputCompatibility` is seeded from it by a data
# migration and is what counting reads; an administrator edits it there (audited). A target's words
# are matched like the catalogue's: the longest phrase that the target's counted thing is or begins
# with wins, and all its rows apply ("tin, bài" → any news item; "bài" → articles, TV and radio
# reports). A type is always compatible with the words of its own `target_words`, which the data
# migration writes too. A target whose words match no row ("sản phẩm", "hoạt động") takes any type.
# A target counted in people ("40 người") counts the people reached by any type (`counts_people`).
COMPATIBILITY_DEFAULTS: dict[str, tuple[str, ...]] = {
    "bai": ("portal_article", "newspaper_article", "radio_report", "tv_report", "social_post"),
    "bai viet": ("portal_article", "newspaper_article", "radio_report", "tv_report", "social_post"),
    "tin": ("portal_article", "newspaper_article", "radio_report", "tv_report", "social_post", "loudspeaker"),
    "tin bai": ("portal_article", "newspaper_article", "radio_report", "tv_report", "social_post", "loudspeaker"),
    "tin bai viet": ("portal_article", "newspaper_article", "radio_report", "tv_report", "social_post"),
    "phong su": ("tv_report", "radio_report", "video_clip"),
    "chuyen muc": ("broadcast_programme", "newspaper_article", "portal_article"),
    "chuong trinh": ("broadcast_programme",),
    "chuyen trang": ("broadcast_programme", "newspaper_article", "portal_article"),
}


def compatibility_rows() -> list[tuple[str, str]]:
    """(words, output type code) of the default table: every type with its own target words, and
    the cross-type rows of COMPATIBILITY_DEFAULTS."""
    rows = {(phrase, spec.code) for spec in CATALOGUE for phrase in spec.target_words}
    rows |= {(phrase, code) for phrase, codes in COMPATIBILITY_DEFAULTS.items() for code in codes}
    return sorted(rows)


def compatible_codes(target_unit: str, table: dict[str, set[str]]) -> frozenset[str] | None:
    """The output type codes that count toward a target of this counted thing, from `table`
    ({words: codes}, as `OutputCompatibility.table()` gives it); None when no row names the thing
    (every type counts)."""
    w = words(target_unit)
    best = None
    for phrase in table:
        if (w == phrase or w.startswith(phrase + " ")) and (best is None or len(phrase) > len(best)):
            best = phrase
    if best is None or not table[best]:
        return None
    return frozenset(table[best])


# ---------------------------------------------------------------- languages

@dataclass(frozen=True)
class Language:
    code: str
    label: object
    aliases: tuple[str, ...]  # folded words as people write the language's name


LANGUAGES: tuple[Language, ...] = (
    Language("vi", _("Vietnamese"), ("viet", "tieng viet", "kinh", "vietnamese", "vi", "pho thong", "tieng pho thong")),
    Language("tay", _("Tày"), ("tay",)),
    Language("mong", _("Hmong (Mông)"), ("mong", "h mong", "hmong", "hmông", "mèo")),
    Language("dao", _("Dao"), ("dao", "dao do", "dao tien")),
    Language("nung", _("Nùng"), ("nung",)),
    Language("thai", _("Thái"), ("thai",)),
    Language("khmer", _("Khmer"), ("khmer", "kho me", "khome", "khmer nam bo")),
    Language("cham", _("Cham (Chăm)"), ("cham",)),
    Language("ede", _("Ê Đê"), ("e de", "ede", "rhade")),
    Language("jarai", _("Jarai (Gia Rai)"), ("gia rai", "giarai", "jarai", "gia lai")),
    Language("bahnar", _("Bahnar (Ba Na)"), ("ba na", "bana", "bahnar")),
    Language("pathen", _("Pà Thẻn"), ("pa then", "pathen")),
    Language("other", _("Other ethnic language"), ("khac", "other", "dan toc khac", "tieng dan toc khac")),
)
LANGUAGE_CHOICES = [(lang.code, lang.label) for lang in LANGUAGES]
DEFAULT_LANGUAGE = "vi"
LANGUAGE_BY_CODE = {lang.code: lang for lang in LANGUAGES}
# Vietnamese names, as the spreadsheet lists them.
LANGUAGE_NAMES_VI = {
    "vi": "Tiếng Việt", "tay": "Tày", "mong": "Mông", "dao": "Dao", "nung": "Nùng", "thai": "Thái",
    "khmer": "Khmer", "cham": "Chăm", "ede": "Ê Đê", "jarai": "Gia Rai", "bahnar": "Ba Na", "pathen": "Pà Thẻn",
    "other": "Tiếng dân tộc khác",
}


def language_from_text(text: str) -> str | None:
    """'Tiếng Mông', 'H'Mông', 'mong', 'Khmer' → a language code; '' → Vietnamese; None when unknown."""
    w = words(text)
    if not w:
        return DEFAULT_LANGUAGE
    if w.startswith("tieng ") and w != "tieng viet" and not w.startswith("tieng dan toc"):
        w = w[len("tieng "):]
    if w.startswith("dan toc ") and w != "dan toc khac":
        w = w[len("dan toc "):]
    for lang in LANGUAGES:
        if w == lang.code or w in {words(a) for a in lang.aliases} or w == words(LANGUAGE_NAMES_VI[lang.code]):
            return lang.code
    return None


def target_language_codes(names) -> frozenset[str] | None:
    """The record languages a target counts: its `languages` (names as the plan writes them: "Tày",
    "H'Mông", "Pà Thẻn"; "dân tộc" for any ethnic-minority language) as language codes; None when it
    names none (every language counts). A name the catalogue does not know is an ethnic language
    recorded as "other"."""
    from cchc.plans.targets import ETHNIC

    codes: set[str] = set()
    for name in names or []:
        if words(name) in (words(ETHNIC), words(f"{ETHNIC} thiểu số")):
            codes.update(lang.code for lang in LANGUAGES if lang.code != DEFAULT_LANGUAGE)
        else:
            codes.add(language_from_text(name) or "other")
    return frozenset(codes) if codes else None


def sync_output_types(model=None) -> None:
    """Create or update the catalogue rows from CATALOGUE (the data migration and test set-up call it)."""
    if model is None:
        from .models import OutputType as model
    for spec in CATALOGUE:
        model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name_vi, "measure": spec.measure, "counts_people": spec.counts_people,
                "has_language": spec.has_language, "target_words": list(spec.target_words), "order": spec.order,
            },
        )


def sync_compatibility(model=None, type_model=None) -> None:
    """Create the default rows of the compatibility table that are missing (the data migration calls
    it; rows an administrator removed later are not its business after that)."""
    if model is None:
        from .models import OutputCompatibility as model
        from .models import OutputType as type_model
    types = {t.code: t for t in type_model.objects.all()}
    have = set(model.objects.values_list("words", "output_type__code"))
    model.objects.bulk_create([
        model(words=phrase, output_type=types[code]) for phrase, code in compatibility_rows()
        if code in types and (phrase, code) not in have
    ])
