"""The outline-first reader: markers, nesting, zones, task rules, diagnostics, and the layouts of
real plans generated in every combination."""

import itertools
import json
from pathlib import Path

import pytest

from cchc.documents import parse_text
from cchc.documents.blocks import Paragraph
from cchc.documents.outline import ARABIC, ARTICLE, DASH, LETTER, PLUS, ROMAN, build_outline, label_zones, lex

DATA = Path(__file__).resolve().parents[1] / "data" / "reader"


@pytest.mark.parametrize("line,kind,label", [
    ("IV. TỔ CHỨC THỰC HIỆN", ROMAN, "IV"),
    ("1. Trách nhiệm của các cơ quan", ARABIC, "1"),
    ("a) Sở Nội vụ", LETTER, "a"),
    ("đ) Sở Tư pháp", LETTER, "đ"),
    ("- Hướng dẫn các đơn vị", DASH, None),
    ("+ Tổ chức hội nghị", PLUS, None),
    ("Điều 2. Giao Sở Nội vụ chủ trì", ARTICLE, "Điều 2"),
    ("Sở Nội vụ có trách nhiệm", None, None),
])
def test_lexer(line, kind, label):
    m = lex(line)
    assert (m.kind, m.label) == (kind, label)


def _outline(text):
    root = build_outline([Paragraph(text=t) for t in text.strip().split("\n")])
    label_zones(root)
    return root


def test_letter_nests_under_arabic_or_roman_by_first_appearance():
    root = _outline("""I. MỤC ĐÍCH
1. Mục đích
II. TỔ CHỨC THỰC HIỆN
a) Sở Nội vụ
- Hướng dẫn
b) Sở Tư pháp
- Phổ biến
III. KINH PHÍ""")
    parts = root.children
    assert [p.label for p in parts] == ["I", "II", "III"]
    assert [c.label for c in parts[1].children] == ["a", "b"]
    assert parts[1].children[1].children[0].kind == DASH
    assert [p.zone for p in parts] == ["objectives", "implementation", "funding"]


def test_a_restarted_list_nests_and_a_continued_number_closes_it():
    root = _outline("""II. NHIỆM VỤ
1. Tuyên truyền
a) Sở Nội vụ
1. việc thứ nhất
2. việc thứ hai
b) Sở Tư pháp
2. Tập huấn""")
    part = root.children[0]
    assert [c.label for c in part.children] == ["1", "2"]
    a = part.children[0].children[0]
    assert [c.label for c in a.children] == ["1", "2"]


ISSUE_LAYOUT = """#### **IV. TỔ CHỨC THỰC HIỆN**

##### **1. Trách nhiệm của các cơ quan, đơn vị**

a) Các sở, ngành, UBND các xã, phường: căn cứ Kế hoạch này, xây dựng kế hoạch của đơn vị và tổ chức thực hiện nghiêm túc.

- Đăng tải kịp thời thông tin về cải cách hành chính trên trang thông tin điện tử của đơn vị.

b) Sở Nội vụ

- Hướng dẫn, đôn đốc các đơn vị triển khai kế hoạch.

c) Sở Tư pháp:

- Phổ biến pháp luật về thủ tục hành chính.
"""


def test_the_layout_of_the_issue_gives_its_tasks_with_leads():
    tasks = parse_text(ISSUE_LAYOUT)["tasks"]
    pairs = [(t["lead"][0] if t["lead"] else None, t["title"][:25]) for t in tasks]
    assert ("Sở Nội vụ", "Hướng dẫn, đôn đốc các đơ") in pairs
    assert ("Sở Tư pháp", "Phổ biến pháp luật về thủ") in pairs
    assert any(lead == "Các sở, ngành" and title.startswith("Đăng tải") for lead, title in pairs)


def test_appendix_table_written_one_cell_per_line():
    from cchc.documents.reader import parse_file

    tasks = parse_file(DATA / "docs" / "ec00bd6f58be7864.md")["tasks"]
    rows = [t for t in tasks if (t["section"] or "").startswith("Phụ lục")]
    assert len(rows) >= 20 and all(t["lead"] for t in rows)


def test_co_quan_thuc_hien_line_inside_a_numbered_item():
    text = """KẾ HOẠCH
Thử
II. NHIỆM VỤ
1. Tổ chức hội nghị tập huấn về cải cách hành chính.
- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp.
- Thời gian: Quý III/2026.
"""
    t = parse_text(text)["tasks"][0]
    assert t["lead"] == ["Sở Nội vụ"] and t["support"] == ["Sở Tư pháp"]
    assert t["timeframe"]["start"] == "2026-07-01"


def test_duties_grouped_by_role():
    text = """KẾ HOẠCH
Thử
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
a) Chủ trì:
- Tổ chức hội nghị sơ kết công tác tuyên truyền.
b) Phối hợp:
- Phối hợp với Sở Tư pháp tổ chức cuộc thi tìm hiểu pháp luật.
"""
    tasks = parse_text(text)["tasks"]
    lead = next(t for t in tasks if t["title"].startswith("Tổ chức hội nghị"))
    support = next(t for t in tasks if t["title"].startswith("Phối hợp với Sở Tư pháp"))
    assert lead["lead"] == ["Sở Nội vụ"]
    assert "Sở Nội vụ" in support["support"] and "Sở Nội vụ" not in support["lead"]


def test_decision_articles_that_assign():
    text = """QUYẾT ĐỊNH
Về việc tổ chức hội thi
QUYẾT ĐỊNH:
Điều 1. Tổ chức Hội thi tìm hiểu về cải cách hành chính năm 2026.
Điều 2. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức Hội thi trong Quý III/2026.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành Quyết định này.
"""
    tasks = parse_text(text)["tasks"]
    assert len(tasks) == 1
    assert tasks[0]["lead"] == ["Sở Nội vụ"] and tasks[0]["support"] == ["Sở Tư pháp"]


def test_a_decree_is_reported_as_no_plan_and_empty_output_says_so():
    r = parse_text("CHÍNH PHỦ\nSố: 09/2025/NĐ-CP\nNGHỊ ĐỊNH\nQuy định về chính sách hỗ trợ\nĐiều 1. Phạm vi điều chỉnh\n"
                   "Nghị định này quy định chính sách.\n")
    assert r["document"]["kind"] == "NĐ"
    codes = {d["code"] for d in r["diagnostics"]}
    assert "not_a_plan" in codes and "no_tasks" in codes
    assert all(d["message"] for d in r["diagnostics"])


# --- generated layouts: every combination of heading style, agency depth, duty marker and assignment


HEADINGS = {"plain": "{t}", "markdown": "#### {t}", "bold": "**{t}**"}
DUTY_MARKERS = {"dash": "- {t}", "plus": "+ {t}", "letter": "{l}) {t}", "arabic": "{n}. {t}"}
AGENCIES = ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính"]
DUTIES = ["Hướng dẫn, đôn đốc các cơ quan triển khai kế hoạch tuyên truyền",
          "Tổng hợp kết quả thực hiện báo cáo Ủy ban nhân dân tỉnh",
          "Biên soạn tài liệu tuyên truyền về thủ tục hành chính"]


def _generated(heading, depth, marker, style):
    h = HEADINGS[heading]
    lines = ["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2026", h.format(t="I. MỤC ĐÍCH, YÊU CẦU"),
             "Nâng cao nhận thức.", h.format(t="II. TỔ CHỨC THỰC HIỆN")]
    if depth >= 2:
        lines.append(h.format(t="1. Trách nhiệm của các cơ quan, đơn vị"))
    for k, agency in enumerate(AGENCIES):
        if style == "sentence":
            lines.append(f"- Giao {agency} chủ trì, phối hợp với các cơ quan liên quan {DUTIES[k][0].lower()}{DUTIES[k][1:]}.")
            continue
        head = {1: f"{k + 1}. {agency}", 2: f"{'abc'[k]}) {agency}:", 3: f"{'abc'[k]}) {agency}:"}[depth]
        if depth == 1:
            head = h.format(t=head)
        lines.append(head)
        if depth == 3:
            lines.append("Có trách nhiệm thực hiện các nhiệm vụ sau:")
        for j, duty in enumerate(DUTIES):
            m = DUTY_MARKERS[marker]
            if marker == "letter" and depth >= 2:
                m = DUTY_MARKERS["dash"]
            lines.append(m.format(t=f"{duty} ({agency}, việc {j + 1}).", l="abc"[j], n=j + 1))
    lines.append(h.format(t="III. KINH PHÍ"))
    lines.append("Từ ngân sách nhà nước.")
    return "\n\n".join(lines)


@pytest.mark.parametrize("heading,depth,marker,style", [
    (h, d, m, s) for h, d, m, s in itertools.product(HEADINGS, (1, 2, 3), DUTY_MARKERS, ("heading", "sentence"))
    if not (s == "sentence" and m != "dash")
])
def test_generated_layouts_recover_every_agency_duty_pair(heading, depth, marker, style):
    text = _generated(heading, depth, marker, style)
    tasks = parse_text(text)["tasks"]
    if style == "sentence":
        for agency in AGENCIES:
            assert any(t["lead"] == [agency] for t in tasks), (agency, [t["lead"] for t in tasks])
        return
    found = {(t["lead"][0] if t["lead"] else None, t["title"][:40]) for t in tasks}
    for agency in AGENCIES:
        for j, duty in enumerate(DUTIES):
            assert (agency, f"{duty} ({agency}, việc {j + 1}).".capitalize()[:40]) in found or \
                any(t["lead"] == [agency] and f"({agency}, việc {j + 1})" in (t["text"] or "") for t in tasks), \
                (agency, j, sorted(found))
    assert len(tasks) == len(AGENCIES) * len(DUTIES)


# --- the annotated real documents: precision and recall of tasks per document


def _gold():
    return sorted((DATA / "gold").glob("*.json"))


def _fold(s):
    import unicodedata
    s = unicodedata.normalize("NFD", str(s or "").replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in s if unicodedata.category(c) != "Mn").lower().split())


def _task_recall(out, gold):
    from rapidfuzz import fuzz

    tasks = out["tasks"]
    hits = 0
    for g in gold["tasks"]:
        for t in tasks:
            text = _fold(" ".join([t["title"] or "", t["text"] or ""]))
            if fuzz.partial_ratio(_fold(g["phrase"]), text) >= 85 and (
                    g["agency"] is None or any(fuzz.partial_ratio(_fold(g["agency"]), _fold(l)) >= 80 or
                                               fuzz.partial_ratio(_fold(l), _fold(g["agency"])) >= 80
                                               for l in t["lead"])):
                hits += 1
                break
    return hits / len(gold["tasks"])


# The reader's floor on each annotated document, measured when it was written (recall, and the
# ratio of extracted to gold tasks staying within the scorer's 0.5–2 band where it was met): a
# change that loses tasks on any real layout fails here. `benchmarks/reader_bench.py` prints the
# full scores.
def test_annotated_documents_task_recall_does_not_fall():
    from cchc.documents.reader import parse_file

    recalls = []
    for gf in _gold():
        gold = json.loads(gf.read_text(encoding="utf-8"))
        out = parse_file(DATA / "docs" / gold["file"])
        recalls.append((gold["file"], _task_recall(out, gold), len(out["tasks"]) / len(gold["tasks"])))
    mean = sum(r for _, r, _ in recalls) / len(recalls)
    assert len(recalls) >= 30
    assert mean >= 0.70, recalls
    seeds = {f: r for f, r, _ in recalls if f[:3] in ("000", "001", "004")}
    assert all(r >= 0.95 for r in seeds.values()), seeds
    in_band = sum(1 for _, _, ratio in recalls if 0.5 <= ratio <= 2.0)
    assert in_band >= len(recalls) - 6, recalls  # 33 of 38 when written


@pytest.mark.parametrize("name", ["000_b4044ae2c624768c.txt", "001_1bcad453b853a799.txt", "004_1f5d7e236c7063e7.txt",
                                  "09daab284f92e2dd.md", "8718801c503045f9.md", "d40513a8b25883ec.md"])
def test_the_seeds_and_corpus_plans_precision_and_recall(name):
    """Recall of the gold tasks, and precision as the share of extracted tasks that some gold task's
    phrase falls in (the seeds and corpus plans are annotated completely)."""
    from rapidfuzz import fuzz

    from cchc.documents.reader import parse_file

    gold = json.loads((DATA / "gold" / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    out = parse_file(DATA / "docs" / name)
    recall = _task_recall(out, gold)
    matched = sum(1 for t in out["tasks"] if any(
        fuzz.partial_ratio(_fold(g["phrase"]), _fold(" ".join([t["title"] or "", t["text"] or ""]))) >= 85
        for g in gold["tasks"]))
    precision = matched / len(out["tasks"])
    assert recall >= 0.85 and precision >= 0.9, (recall, precision)


def test_all_caps_title_follows_the_documents_own_spelling():
    text = ("KẾ HOẠCH\nTUYÊN TRUYỀN KHÔNG AI BỊ BỎ LẠI PHÍA SAU TẠI TỈNH HÀ GIANG\n"
            "I. MỤC ĐÍCH\nBảo đảm không ai bị bỏ lại phía sau trên địa bàn tỉnh Hà Giang, theo Kế hoạch của UBND tỉnh.\n")
    assert parse_text(text)["document"]["title"] == "Tuyên truyền không ai bị bỏ lại phía sau tại tỉnh Hà Giang"


def test_a_list_addressed_in_its_opening_sentence_is_the_addressees():
    text = """Tăng cường phòng, chống dịch dịp Tết

Bộ trưởng Bộ Y tế chỉ thị Sở Y tế các tỉnh, thành phố thực hiện một số nhiệm vụ sau:

**Giám sát dịch bệnh**

- Theo dõi, giám sát, phát hiện sớm các ổ dịch bệnh truyền nhiễm.

- Phân công cán bộ trực 24/24 giờ trong thời gian nghỉ Tết.
"""
    tasks = parse_text(text)["tasks"]
    assert [t["lead"] for t in tasks] == [["Sở Y tế các tỉnh, thành phố"]] * 2


def test_kind_is_told_by_a_plans_parts_and_left_blank_otherwise():
    plan = "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao nhận thức.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ: hướng dẫn thực hiện.\n"
    assert parse_text(plan)["document"]["kind"] == "KH"
    news = "Tin tức\nHôm nay, các đại biểu đã thảo luận về nhiệm vụ phát triển.\n- Ý kiến thứ nhất.\n"
    assert parse_text(news)["document"]["kind"] == ""


def test_word_heading_styles_nest_unmarked_headings(tmp_path):
    """A .docx whose parts are Word headings without numbers: "Heading 1" over "Heading 2" agencies
    over their duties."""
    import docx

    from cchc.documents.reader import parse_file

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Tuyên truyền cải cách hành chính năm 2026")
    d.add_heading("Mục đích, yêu cầu", level=1)
    d.add_paragraph("Nâng cao nhận thức của cán bộ, công chức.")
    d.add_heading("Tổ chức thực hiện", level=1)
    d.add_heading("Sở Nội vụ", level=2)
    d.add_paragraph("- Hướng dẫn, đôn đốc các cơ quan triển khai kế hoạch.")
    d.add_paragraph("- Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.")
    d.add_heading("Sở Tư pháp", level=2)
    d.add_paragraph("- Phổ biến pháp luật về thủ tục hành chính.")
    path = tmp_path / "plan.docx"
    d.save(path)
    tasks = parse_file(path)["tasks"]
    assert [(t["lead"], t["title"].split(",")[0]) for t in tasks] == [
        (["Sở Nội vụ"], "Hướng dẫn"), (["Sở Nội vụ"], "Tổng hợp kết quả"), (["Sở Tư pháp"], "Phổ biến pháp luật về thủ tục hành chính.")]
