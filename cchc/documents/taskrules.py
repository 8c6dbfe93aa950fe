"""Task rules: each a small function run over every part of the outline in the zones where work is
assigned, at any depth. A part that one rule has taken (with the parts below it) is not read again.

- `attribute_rule`: an activity whose lines name its lead ("Cơ quan chủ trì: Sở X", "Chủ trì: …",
  "Cơ quan thực hiện: Sở X chủ trì, phối hợp với …").
- `agency_rule`: a part headed by agencies ("b) Sở Nội vụ", "2. Sở Tư pháp:", "Trách nhiệm của …",
  "Đối với các sở, ngành:") over its duties, one task per duty; or over its own words, one task. Duties
  grouped by role ("a) Chủ trì: …", "b) Phối hợp: …") keep their role.
- `assignment_rule`: a paragraph that assigns in a sentence ("Giao Sở X chủ trì, phối hợp với Sở Y …",
  "Sở X chủ trì, phối hợp …", "Bộ Tài chính có trách nhiệm …").
- `solution_rule`: each numbered item of a part headed Nhiệm vụ or Giải pháp, its lead [] when it names none.

Tables of tasks are read by `table_tasks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import split_agencies, split_roles
from .assignments import read_assignment, time_phrase
from .blocks import Table
from .folding import fold
from .lexicon import (AGENCY_HEAD_NOT_BEFORE, AGENCY_HEADS, ASSIGNING_VERBS, CLOSING_STARTS, DUTY_VERBS,
                      GROUP_WORDS, LEAD_LABELS, LEAD_VERBS, REQUEST_WORDS, SUPPORT_LABELS, TABLE_COLUMNS, WORK_ZONES)
from .outline import ARABIC, ARABIC_PAREN, ARTICLE, DASH, DOTTED, HEADING, LETTER, PLUS, ROMAN, UPPER, Node


@dataclass
class TaskDraft:
    title: str
    text: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    time: str | None = None
    forms: list[str] = field(default_factory=list)
    funding: str | None = None
    target_text: str = ""
    section: str | None = None
    source: str = ""
    line: int = -1  # where the task's part starts, for reading order


# --- agencies at the head of a part -----------------------------------------------------------


def _head_alternation() -> str:
    parts = []
    for head in sorted(AGENCY_HEADS, key=len, reverse=True):
        bad = AGENCY_HEAD_NOT_BEFORE.get(head)
        neg = "".join(r"(?!\s+" + re.escape(b) + r"(?![\wÀ-ỹ]))" for b in bad or ())
        parts.append(re.escape(head) + r"(?![\wÀ-ỹ])" + neg)
    return "|".join(parts)


_HEAD = _head_alternation()
_GROUP = r"[Cc]ác\s+(?:" + "|".join(re.escape(w) for w in GROUP_WORDS if w != "cấp") + r")(?![\wÀ-ỹ])"
_AGENCY_START_RE = re.compile(r"^(?:" + _HEAD + "|" + _GROUP + r"|Ủy ban|UBND)")
_PREFIX_RE = re.compile(
    r"^(?:(?:" + "|".join(REQUEST_WORDS) + r")\s*:?\s+|(?:Trách nhiệm|Nhiệm vụ|Nhiệm vụ, quyền hạn|"
    r"Trách nhiệm và quyền hạn|Nhiệm vụ và quyền hạn)\s+(?:cụ thể\s+)?(?:của\s+)?(?=[A-ZĐÀ-Ỹ]|các\s|của\s)|"
    r"Đối với\s+|Riêng\s+|"
    r"(?:Nội dung|Nhiệm vụ|Các nhiệm vụ|Công việc)\s+(?:do\s+)?(?=\S+\s.*(?:có trách nhiệm|chủ trì)\s*:?$))",
    re.IGNORECASE)
def _words_re(words, before: str) -> re.Pattern:
    return re.compile(before + r"(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
                      + r")(?![\wÀ-ỹ])")


_DUTY_VERB_RE = _words_re(DUTY_VERBS, r"\s+")
_STRONG_VERB_RE = _words_re(LEAD_VERBS, r"\s")
_DUTY_ONLY_RE = re.compile(r"^(?:có|chịu)\s+trách nhiệm(?:\s+(?:thực hiện|chủ trì))?(?:\s+các nhiệm vụ sau|\s+sau)?\s*:?$|"
                           r"^(?:có|thực hiện)\s+(?:các\s+)?nhiệm vụ(?:\s+sau| cụ thể)?\s*:?$", re.IGNORECASE)


_OF_WHOM_RE = re.compile(r"^(?:Trách nhiệm|Nhiệm vụ|Nhiệm vụ, quyền hạn|Trách nhiệm và quyền hạn|Nhiệm vụ và quyền hạn)"
                         r"\s+(?:cụ thể\s+)?của\s+\S", re.IGNORECASE)


def starts_agency(text: str) -> bool:
    text = text.strip()
    return bool(_AGENCY_START_RE.match(text[:1].upper() + text[1:]))


def agency_heading(text: str, *, over_duties: bool = False) -> tuple[str, str] | None:
    """(agencies, duty) when `text` opens with the names of agencies: "Sở Tài chính: Bố trí …" gives
    ("Sở Tài chính", "Bố trí …"); "Sở Tư pháp chủ trì, …" ("Sở Tư pháp", "chủ trì, …"); "b) Sở Nội vụ"
    ("Sở Nội vụ", "")."""
    text = text.strip().lstrip("*").strip()
    if len(text) < 150 and text.endswith(".") and text.count(".") == 1:
        text = text[:-1]  # "2. Văn phòng Ủy ban nhân dân tỉnh." over its duties
    stripped = _PREFIX_RE.sub("", text, count=1)
    prefixed = stripped != text
    # "Trách nhiệm của Phó Trưởng Ban Chỉ đạo": whoever follows "của" is the one the duties fall to
    of_whom = prefixed and bool(_OF_WHOM_RE.match(text)) and len(text) < 160 and ":" not in text[:-1]
    text = stripped[:1].upper() + stripped[1:]
    if not (starts_agency(text) or of_whom):
        return None
    colon = text.find(":")
    m = _DUTY_VERB_RE.search(text[:220])
    strong = _STRONG_VERB_RE.search(text[:colon]) if colon > 0 else None
    # "X: duty" splits at the colon; "X khẩn trương triển khai …, cụ thể như sau:" (a colon that only opens a
    # list) at its verb
    if 0 < colon < 160 and (m is None or m.start() > colon or prefixed or
                            (strong is None and text[colon + 1:].strip())):
        name, duty = text[:colon], text[colon + 1:]
    elif over_duties and colon < 0 and len(text) < 200 and not text.rstrip().endswith(".") and \
            not _ASSIGN_RE.search(text):
        # "7. Các sở, ban, ngành; các cơ quan Trung ương được tổ chức theo ngành dọc tại tỉnh" over its duties
        name, duty = text, ""
    elif m:
        name, duty = text[: m.start()], text[m.start():]
    elif len(text) < 160 and not text.rstrip().endswith("."):
        name, duty = text, ""
    else:
        return None
    name = re.sub(r"\s*\((?:sau đây gọi|gọi tắt)[^)]*\)", "", name).strip(" ,;.-–")
    if not name or len(name) > 200:
        return None
    duty = duty.strip()
    if _DUTY_ONLY_RE.match(duty):
        duty = ""
    return name, duty


def _role_of(text: str) -> str | None:
    """'lead' or 'support' for a group of duties labelled by role ("a) Chủ trì:", "Phối hợp thực hiện:")."""
    f = fold(text.split(":", 1)[0])[:40]
    if ":" not in text[:40] and len(text) > 40:
        return None
    if f.startswith(("phoi hop", "cac nhiem vu phoi hop", "nhiem vu phoi hop")):
        return "support"
    if f.startswith(("chu tri", "chi tri", "cac nhiem vu chu tri", "nhiem vu chu tri")):
        return "lead"
    return None


# --- helpers ----------------------------------------------------------------------------------

_SENT_RE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ])")
_TITLE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def first_sentence(text: str) -> str:
    """A task's title: its first sentence ("…; UBND các huyện …" goes on: a semicolon ends no title)."""
    m = _TITLE_END_RE.search(text)
    return text[: m.start()].strip() if m and m.start() > 15 else text.strip()


def is_closing(text: str) -> bool:
    f = fold(text[:120])
    return f.startswith(CLOSING_STARTS) or "kho khan, vuong mac" in f or "chiu trach nhiem thi hanh" in f \
        or "co hieu luc" in f[:80]


def _draft(node: Node, body: str, *, lead=(), support=(), source: str, attrs=None) -> TaskDraft:
    body = " ".join(body.split())
    named_lead, named_support = read_assignment(body, starts_agency)
    lead = list(lead) or named_lead
    support = [a for a in (list(support) or named_support) if a not in lead]
    time = None
    forms: list[str] = []
    funding = []
    extra = []
    for label, value in (attrs if attrs is not None else node.attrs):
        if label.startswith(("thoi", "tien do")):
            time = value
        elif label.startswith(("kinh phi", "nguon kinh phi")):
            funding.append(value)
        elif label.startswith("hinh thuc"):
            forms.append(value)
        elif label.startswith(("chi tieu", "san pham", "so luong", "quy mo", "ket qua")):
            extra.append(value)
    title = first_sentence(body)
    title = title[:1].upper() + title[1:]
    return TaskDraft(title=title, text=body, lead=lead, support=support,
                     time=time or time_phrase(body[:800]), forms=forms,
                     funding="; ".join(funding) or None,
                     target_text="; ".join([body] + extra + forms + ([time] if time else [])),
                     section=node.path(), source=source, line=node.line)


def _claim(node: Node, used: set[int]) -> None:
    for n in node.walk():
        used.add(id(n))


# --- rules ------------------------------------------------------------------------------------


_NOT_ROLE = ("thoi", "tien do", "kinh phi", "nguon kinh phi", "hinh thuc", "chi tieu", "san pham", "so luong",
             "quy mo", "ket qua", "doi tuong")


_WITH_RE = re.compile(r"phối hợp\s+(?:chặt chẽ\s+)?với", re.IGNORECASE)


def _is_role_label(label: str) -> bool:
    return not label.startswith(_NOT_ROLE) and any(w in label for w in LEAD_LABELS + SUPPORT_LABELS)


def _has_used_below(node: Node, used: set[int]) -> bool:
    return any(id(n) in used for n in node.walk() if n is not node)


def attribute_rule(node: Node, used: set[int]) -> list[TaskDraft] | None:
    """An activity that names its lead in attribute lines."""
    roles = [(label, value) for label, value in node.attrs if _is_role_label(label)]
    if not roles or not any(("phoi hop" not in label) for label, _ in roles):
        return None
    lead: list[str] = []
    support: list[str] = []
    for label, value in roles:
        if "phoi hop" in label and "chu tri" not in label:
            support += split_agencies(value)
        elif _WITH_RE.search(value):
            # "Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp"
            named_lead, named_support = read_assignment(value, starts_agency)
            lead += named_lead or split_agencies(_WITH_RE.split(value)[0].replace("chủ trì", "").strip(" ,"))
            support += named_support
        else:
            more_lead, more_support = split_roles("chủ trì: " + value)
            lead += more_lead
            support += more_support
    body = node.full_text()
    _claim(node, used)
    return [_draft(node, body, lead=lead, support=support, source="lead")]


def _heads_own_duties(node: Node) -> bool:
    """A part that names agencies and holds their duties below it ("b) Sở Nội vụ" over "- …")."""
    if not node.children:
        return False
    head = agency_heading(node.text, over_duties=True)
    return bool(head) and (not head[1] or head[1].rstrip().endswith(":")) and bool(split_agencies(head[0]))


# "Công Đoàn viên chức tỉnh có trách nhiệm phối hợp …": the duty is what follows
_LEADING_DUTY_RE = re.compile(r"^(?:có|chịu)\s+trách nhiệm\s+(?=\S)", re.IGNORECASE)


def agency_rule(node: Node, used: set[int]) -> list[TaskDraft] | None:
    """A part headed by agencies over its duties."""
    if node.kind in (DASH, PLUS) and not node.children:
        return None
    if node.zone == "content" and not node.children and ":" not in node.text[:160]:
        return None  # "3. Trách nhiệm của các cấp ủy … đối với …": a topic to communicate, not a duty
    head = agency_heading(node.text, over_duties=bool(node.children))
    if head is None:
        return None
    if not node.children and len(_assigning_sentences(" ".join([node.text] + node.lines))) >= 2:
        return None  # several agencies in turn: the assignment rule reads each
    name, duty = head
    agencies = split_agencies(name)
    if not agencies:
        return None
    if node.kind in (DASH, PLUS) and all(c.kind in (DASH, PLUS) and not _heads_own_duties(c) and
                                         not _assigns(c.text) for c in node.children):
        # "- Đảng uỷ Chính phủ khẩn trương triển khai …, cụ thể như sau:" over "+" lines: a bulleted duty,
        # its sub-bullets are part of it
        _claim(node, used)
        return [_draft(node, " ".join(x for x in [duty or node.text] + node.lines if x) + " " +
                       " ".join(c.full_text() for c in node.children), lead=agencies, source="implementation")]
    duties = [c for c in node.children if id(c) not in used]
    heads = [c for c in duties if c.kind not in (DASH, PLUS) and _heads_own_duties(c)]
    if duties and len(heads) * 2 >= len(duties) and (not duty or duty.rstrip().endswith(":")):
        return None  # "1. Trách nhiệm của các cơ quan, đơn vị" over "a) Sở Nội vụ", "b) Sở Tư pháp": a group
    tasks: list[TaskDraft] = []
    if not duties and not duty and node.lines:
        duty = " ".join(p for p in node.lines if not is_closing(p))
    elif duty and node.lines and not duties:
        duty = duty + " " + " ".join(p for p in node.lines if not is_closing(p))
    if duty and (not duties or (len(duty) > 60 and not duty.rstrip().endswith(":"))):
        # "Sở Tài chính: Bố trí …" reads as its duty; "Sở Nội vụ chủ trì, phối hợp … tổ chức …" whole
        body = _LEADING_DUTY_RE.sub("", duty)
        tasks.append(_draft(node, body, lead=agencies, source="implementation"))
    for c in duties:
        role = _role_of(c.text)
        if role and c.children:
            for d in c.children:
                if id(d) in used:
                    continue
                body = d.full_text()
                if role == "lead":
                    tasks.append(_draft(d, body, lead=agencies, source="implementation"))
                else:
                    lead, _ = read_assignment(body, starts_agency)
                    tasks.append(_draft(d, body, lead=lead or [], support=agencies, source="implementation"))
                _claim(d, used)
            used.add(id(c))
            continue
        if c.kind not in (DASH, PLUS) and _heads_own_duties(c):
            continue  # a sub-heading naming other agencies: read on its own
        if is_closing(c.text):
            _claim(c, used)
            continue
        sub = agency_heading(c.text) if c.kind not in (DASH, PLUS) or ":" in c.text[:160] else None
        if sub and sub[1] and split_agencies(sub[0]) and not fold(sub[0]).startswith(("cac co quan", "cac don vi")):
            # "e) Ban Thi đua - Khen thưởng tỉnh: Chủ trì, …" under its department: that body leads
            tasks.append(_draft(c, sub[1] + " " + " ".join(x.full_text() for x in c.children),
                                lead=split_agencies(sub[0]), source="implementation"))
        elif _assigns(c.text):
            # "- Giao Sở Nội vụ chủ trì, …" under a heading: the sentence names its own lead
            tasks.append(_draft(c, c.full_text(), source="implementation"))
        else:
            tasks.append(_draft(c, c.full_text(), lead=agencies, source="implementation"))
        _claim(c, used)
    used.add(id(node))
    return tasks


_ASSIGN_RE = _words_re(ASSIGNING_VERBS, r"(?:^|\s)")


_TOPIC_RE = re.compile(r"^(?:Về|Đối với|Việc)\s[^:]{3,200}:\s*(?=\S)")


def _after_topic(paragraph: str) -> str:
    """"Về hỗ trợ kinh phí …: Giao Bộ Tài chính chủ trì …" -> the assignment after the topic."""
    m = _TOPIC_RE.match(paragraph.strip())
    return paragraph.strip()[m.end():] if m else paragraph


def _assigns(paragraph: str) -> bool:
    p = _after_topic(paragraph).strip()
    p = p[:1].upper() + p[1:]  # "Về …: giao Tập đoàn … chủ trì"
    if is_closing(p):
        return False
    if re.match(r"^(?:Giao|Đề nghị|Yêu cầu)\s+", p):
        return starts_agency(_PREFIX_RE.sub("", p, count=1))
    return starts_agency(p) and bool(_ASSIGN_RE.search(p[:220]))


def _assigning_sentences(paragraph: str) -> list[str]:
    """A paragraph cut where each sentence that assigns work begins: "Yêu cầu các cấp uỷ … . Các tỉnh uỷ,
    thành uỷ khẩn trương … . Ban Tổ chức Trung ương chủ trì …" gives three; the sentences that follow
    one (its reasons, its deadline) stay with it."""
    sentences = _SENT_RE.split(paragraph)
    if len(sentences) < 2:
        return [paragraph] if _assigns(paragraph) else []
    out: list[str] = []
    for k, sent in enumerate(sentences):
        if _assigns(sent) or (k == 0 and _assigns(paragraph)):
            out.append(sent)
        elif out:
            out[-1] += " " + sent
    return out


def assignment_rule(node: Node, used: set[int]) -> list[TaskDraft] | None:
    """Paragraphs of a part that assign work in a sentence; a paragraph that assigns to several
    agencies in turn gives one task per assignment."""
    paragraphs = [node.text] + node.lines
    found = [(p, part) for p in paragraphs if p for part in _assigning_sentences(p)]
    if not found:
        return None
    tasks = []
    for p, part in found:
        body = part
        if p is node.text and node.children and all(c.kind in (DASH, PLUS, LETTER) for c in node.children) \
                and len(found) == 1:
            body = node.full_text()
            _claim(node, used)
        lead, support = read_assignment(_after_topic(part), starts_agency)
        if not lead:
            head = agency_heading(_after_topic(part))
            if head:
                lead = split_agencies(head[0])
        tasks.append(_draft(node, body, lead=lead, support=support, source="assignment"))
    used.add(id(node))
    return tasks


_ITEM_KINDS = (ARABIC, ARABIC_PAREN, LETTER, UPPER, ROMAN, ARTICLE, HEADING)


def _is_group_heading(node: Node) -> bool:
    t = node.text.strip()
    numbered = [c for c in node.children if c.kind in _ITEM_KINDS or (c.kind or "").startswith(DOTTED)]
    return len(numbered) >= 2 and len(t) < 160 and not t.endswith((".", ";")) and not node.lines


def solution_items(zone_root: Node) -> list[Node]:
    items: list[Node] = []
    for c in zone_root.children:
        if _is_group_heading(c):
            items += solution_items(c)
        elif c.kind in (DASH, PLUS) and zone_root.kind in (ROMAN, HEADING) and zone_root.parent \
                and zone_root.parent.kind is None and len(zone_root.children) > 1:
            items.append(c)
        elif c.kind not in (DASH, PLUS):
            items.append(c)
    return items


def solution_rule(zone_root: Node, used: set[int]) -> list[TaskDraft]:
    tasks = []
    for item in solution_items(zone_root):
        if id(item) in used or is_closing(item.text) or _has_used_below(item, used):
            continue
        body = item.full_text()
        lead, support = read_assignment(item.text, starts_agency)
        tasks.append(_draft(item, body, lead=lead, support=support, source="solution"))
        _claim(item, used)
    return tasks


# "Bộ trưởng Bộ Y tế chỉ thị Sở Y tế các tỉnh, thành phố thực hiện một số nhiệm vụ sau:", "UBND tỉnh yêu
# cầu các sở, ban, ngành tập trung thực hiện tốt các nội dung sau:": the list that follows is theirs.
_ADDRESSED_RE = re.compile(r"(?:yêu cầu|đề nghị|giao|chỉ thị|chỉ đạo)\s+(?P<who>[^:;.]{3,160}?)\s+(?:thực hiện|triển khai|"
                           r"tập trung|khẩn trương|quán triệt|làm tốt|chủ động|nghiêm túc)[^:]{0,120}:\s*$", re.IGNORECASE)


def addressee(root: Node) -> list[str]:
    """The agencies a document without parts of its own addresses in the sentence that opens its list."""
    candidates = list(root.lines) + [x for n in root.children[:3] for x in [n.text] + n.lines]
    for paragraph in candidates[:12]:
        m = _ADDRESSED_RE.search(paragraph[-400:])
        if m and starts_agency(m.group("who")):
            return split_agencies(m.group("who"))
    return []


def addressed_rule(node: Node, used: set[int], agencies: list[str]) -> list[TaskDraft] | None:
    """An item of a list addressed to agencies ("… thực hiện một số nhiệm vụ sau:"), one task each."""
    if node.kind not in (DASH, PLUS, ARABIC, ARABIC_PAREN, LETTER) or is_closing(node.text) or \
            (node.parent is not None and node.parent.kind not in (None, HEADING, "document")):
        return None
    _claim(node, used)
    return [_draft(node, node.full_text(), lead=agencies, source="implementation")]


def find_tasks(root: Node) -> list[TaskDraft]:
    """Every task the outline assigns, in reading order."""
    used: set[int] = set()
    found: list[tuple[int, int, TaskDraft]] = []
    nodes = [n for n in root.walk() if n.kind is not None or n.lines]

    def add(drafts, node):
        for k, d in enumerate(drafts or []):
            found.append((d.line if d.line >= 0 else node.line, len(found), d))

    for n in nodes:
        if id(n) in used or n.zone not in WORK_ZONES:
            continue
        add(attribute_rule(n, used), n)
    for n in nodes:
        if id(n) in used or n.zone not in WORK_ZONES or n.kind is None:
            continue
        if n.zone == "" and n.kind in (HEADING,) and not n.children:
            continue
        add(agency_rule(n, used), n)
    for n in nodes:
        if id(n) in used or n.zone not in WORK_ZONES:
            continue
        add(assignment_rule(n, used), n)
    for n in nodes:
        if n.zone == "tasks" and (n.parent is None or n.parent.zone != "tasks") and id(n) not in used:
            add(solution_rule(n, used), n)
    if not any(n.zone in ("implementation", "tasks", "appendix") for n in nodes):
        # a document without parts of its own (a news copy of a directive): the list its opening
        # sentence addresses
        agencies = addressee(root)
        if agencies:
            for n in nodes:
                if id(n) not in used and n.zone in ("", "content"):
                    add(addressed_rule(n, used, agencies), n)
    found.sort(key=lambda x: (x[0], x[1]))
    return [d for _, _, d in found]


# --- tables -----------------------------------------------------------------------------------


def _column_of(cell: str) -> str | None:
    f = fold(cell)
    if f in TABLE_COLUMNS["num"]:
        return "num"
    for key in ("title", "forms", "support", "lead", "time", "targets", "funding", "agency"):
        if any(w in f for w in TABLE_COLUMNS[key]):
            return key
    return None


def is_task_header(row: list[str]) -> bool:
    """A heading row of a task table: short cells that name the work ("Nội dung", "Nhiệm vụ") and who or
    when. A list of procedures ("Tên thủ tục hành chính", "Thời hạn giải quyết") is no task table."""
    cells = [c for c in row if c and c.strip()]
    if not cells or any(len(c) > 100 for c in cells):
        return False
    folded = [fold(c) for c in cells]
    if any("thu tuc" in f or "le phi" in f for f in folded):
        return False
    keys = {_column_of(c) for c in cells}
    titled = any(_column_of(c) == "title" and f.startswith(TABLE_COLUMNS["title"] + ("ten ", "cac "))
                 for c, f in zip(cells, folded))
    return titled and bool(keys & {"lead", "support", "time", "agency"})


def table_columns(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    header_i = next((i for i, r in enumerate(rows[:4]) if is_task_header(r)), None)
    if header_i is None:
        return None
    cols: dict[str, int] = {}
    for idx, cell in enumerate(rows[header_i]):
        key = _column_of(cell)
        if key and key not in cols:
            cols[key] = idx
    return header_i, cols


_ROMAN_ROW_RE = re.compile(r"^([IVXL]{1,6})\s*[.:]?\s*(\S.*)?$")


def table_tasks(table: Table) -> list[TaskDraft]:
    rows = [[" ".join(str(c or "").split()) for c in r] for r in table.rows]
    found = table_columns(rows)
    if found is None:
        return []
    header_i, cols = found

    def cell(r, key):
        i = cols.get(key)
        return r[i] if i is not None and i < len(r) else ""

    tasks = []
    group = None
    for r in rows[header_i + 1:]:
        nonempty = [c for c in r if c]
        if not nonempty:
            continue
        title = cell(r, "title")
        num = cell(r, "num")
        if all(fold(c).isdigit() or fold(c) in ("(1)", "(2)") for c in nonempty) or \
                all(re.fullmatch(r"\(\d+\)", c) for c in nonempty):
            continue  # a row of column numbers "(1) (2) (3)"
        distinct = set(nonempty)
        if len(distinct) == 1 and (not num or num == nonempty[0] or _ROMAN_ROW_RE.match(num)) and \
                (_ROMAN_ROW_RE.match(nonempty[0]) or nonempty[0].isupper() or len(nonempty) == 1):
            hm = _ROMAN_ROW_RE.match(nonempty[0])
            group = hm.group(1) if hm else None
            continue
        if num and _ROMAN_ROW_RE.fullmatch(num.strip(". ")) and not cell(r, "lead") and not cell(r, "agency"):
            group = num.strip(". ")
            continue
        if not title:
            continue
        if cols.get("lead") is not None:
            lead = split_agencies(cell(r, "lead"))
            support = split_agencies(cell(r, "support"))
        else:
            lead, support = split_roles(cell(r, "agency"))
            if cell(r, "support"):
                support += split_agencies(cell(r, "support"))
        forms_text = cell(r, "forms")
        forms = [x.strip(" ;.") for x in re.split(r"(?:^|;)\s*-\s*|\n", forms_text) if x.strip(" ;.-")]
        section = "Phụ lục/" + "/".join(x for x in (group, num) if x) if (group or num) else "Phụ lục"
        tasks.append(TaskDraft(title=title, text=title, lead=lead, support=support, time=cell(r, "time") or None,
                               forms=forms, funding=cell(r, "funding") or None,
                               target_text="; ".join([title, forms_text, cell(r, "targets")]),
                               section=section, source="table"))
    return tasks
