"""The outline of a document: its lines nested as the writer meant them, each part labelled with the
zone it belongs to (basis, objectives, tasks, implementation, reporting …).

Three steps, each a pure function:

1. `lex(text)`: the marker a line opens with: Roman numeral, arabic number, dotted number ("1.2."),
   letter ("a)"), dash, plus, article ("Điều 3."), appendix ("Phụ lục"), or none.
2. `build_outline(paragraphs)`: nests the lines. As Markdown list parsers do, the kinds of marker are
   not given fixed depths: a marker kind nests under whatever part is open when it first appears, and a
   later marker of a kind already open closes everything opened since and becomes that part's sibling.
   So "a)" may stand under "IV." or under "1.", and "-" under either. Where two open parts have the
   marker's kind, the number that continues a sequence decides, and then the formatting (bold,
   heading level). A markdown or Word heading closes the lists opened under a heading of its level.
3. `label_zones(root)`: each part's zone from the words of its heading (`lexicon.ZONE_HEADINGS`),
   inherited by the parts below it unless a sub-heading names another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Paragraph
from .folding import fold
from .lexicon import ATTACHED_KINDS, TITLED_KINDS, ZONE_HEADINGS
from .vntext import roman_to_int

# --- 1. markers -------------------------------------------------------------------------------

ROMAN, ARABIC, ARABIC_PAREN, DOTTED, LETTER, UPPER, DASH, PLUS, ARTICLE, CHAPTER, APPENDIX, HEADING, DOC = (
    "roman", "arabic", "arabic)", "dotted", "letter", "upper", "dash", "plus", "article", "chapter", "appendix",
    "heading", "document")

_ARTICLE_RE = re.compile(r"^(Điều|điều|ĐIỀU)\s+(\d{1,3}[a-z]?)\s*[.:]?\s*(.*)$")
_CHAPTER_RE = re.compile(r"^(Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+([IVXLC]{1,6}|\d{1,2}|[A-Z])\b\s*[.:\-–]?\s*(.*)$")
_APPENDIX_RE = re.compile(r"^(?:Phụ lục|PHỤ LỤC|Phụ Lục)(?:\s+(?:số\s*)?([IVXLC]{1,6}|\d{1,2}|[A-Z])\b)?\s*[.:\-–]?\s*(.*)$")
_ROMAN_RE = re.compile(r"^([IVXL]{1,6})\s*[.:)/–-]\s*(\S.*)$")
_ROMAN_LOW_RE = re.compile(r"^([ivxl]{2,6})\s*[.:)]\s*(\S.*)$")
_DOTTED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_ARABIC_RE = re.compile(r"^(\d{1,2})\s*[.]\s*(\S.*)$")
_ARABIC_PAREN_RE = re.compile(r"^\(?(\d{1,2})\s*(?:\)|/(?=\s))\s*(\S.*)$")  # "1)", "(1)", "1/ " (not "96/CĐ-BXD")
_LETTER_RE = re.compile(r"^\(?([a-zđ])\s*[).]\s*(\S.*)$")
_UPPER_RE = re.compile(r"^([A-ZĐ])\s*[.)]\s+(\S.*)$")
_DASH_RE = re.compile(r"^[-–—•●▪◦*·]\s*(\S.*)$")
_PLUS_RE = re.compile(r"^\+\s*(\S.*)$")
_LETTER_ORDER = "abcdđefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Marker:
    kind: str | None  # None: a line with no marker
    label: str | None  # "IV", "1", "1.2", "a", "Điều 3", "Phụ lục II"
    rest: str  # the line's words after the marker


def lex(text: str) -> Marker:
    """The marker `text` opens with."""
    m = _ARTICLE_RE.match(text)
    if m:
        return Marker(ARTICLE, f"Điều {m.group(2)}", m.group(3))
    m = _CHAPTER_RE.match(text)
    if m and (m.group(3) == "" or m.group(3)[:1].isupper()):
        return Marker(CHAPTER, f"{m.group(1).capitalize()} {m.group(2)}", m.group(3))
    if text[:1] in "PpP" and fold(text[:8]).startswith("phu luc") and len(text) < 300:
        m = _APPENDIX_RE.match(text)
        if m:
            return Marker(APPENDIX, "Phụ lục" + (f" {m.group(1)}" if m.group(1) else ""), m.group(2) or text)
    m = _ROMAN_RE.match(text)
    if m and roman_to_int(m.group(1)):
        return Marker(ROMAN, m.group(1), m.group(2))
    m = _ROMAN_LOW_RE.match(text)
    if m and roman_to_int(m.group(1).upper()):
        return Marker(ROMAN, m.group(1).upper(), m.group(2))
    m = _DOTTED_RE.match(text)
    if m:
        return Marker(f"{DOTTED}{m.group(1).count('.')}", m.group(1), m.group(2))
    m = _ARABIC_RE.match(text)
    if m:
        return Marker(ARABIC, m.group(1), m.group(2))
    m = _ARABIC_PAREN_RE.match(text)
    if m:
        return Marker(ARABIC_PAREN, m.group(1), m.group(2))
    m = _LETTER_RE.match(text)
    if m:
        return Marker(LETTER, m.group(1), m.group(2))
    m = _UPPER_RE.match(text)
    if m and m.group(1) not in "IVXL":
        return Marker(UPPER, m.group(1), m.group(2))
    m = _DASH_RE.match(text)
    if m:
        return Marker(DASH, None, m.group(1))
    m = _PLUS_RE.match(text)
    if m:
        return Marker(PLUS, None, m.group(1))
    return Marker(None, None, text)


def _ordinal(kind: str, label: str | None) -> int | None:
    if label is None:
        return None
    if kind == ROMAN:
        return roman_to_int(label)
    if kind in (LETTER, UPPER):
        i = _LETTER_ORDER.find(label.lower())
        return i + 1 if i >= 0 else None
    if kind == ARTICLE:
        digits = re.sub(r"\D", "", label)
        return int(digits) if digits else None
    tail = label.rsplit(".", 1)[-1].rsplit(" ", 1)[-1]
    if tail.isdigit():
        return int(tail)
    return roman_to_int(tail) if tail else None


def _follows(kind: str, prev: int | None, new: int | None) -> bool:
    if prev is None or new is None:
        return False
    if kind in (LETTER, UPPER):  # Vietnamese lists skip f, j, w, z, and some write đ after d
        return 1 <= new - prev <= 2
    return new - prev == 1


# --- 2. the outline ---------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """One part of the document: a heading or list item with its own lines and its sub-parts."""

    kind: str | None
    label: str | None
    text: str  # the line's words after its marker
    line: int = -1
    bold: bool = False
    level: int = 0
    lines: list[str] = field(default_factory=list)  # paragraphs under it before its first sub-part
    attrs: list[tuple[str, str]] = field(default_factory=list)  # (folded label, value) lines
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    zone: str = ""

    @property
    def ordinal(self) -> int | None:
        return _ordinal(self.kind or "", self.label)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def chain(self) -> list["Node"]:
        out, n = [], self
        while n is not None and n.kind is not None:
            out.append(n)
            n = n.parent
        return list(reversed(out))

    def path(self) -> str | None:
        parts = [n.label for n in self.chain() if n.label]
        return ".".join(parts) if parts else None

    def full_text(self, limit: int = 6000) -> str:
        """Its words and those of every part below it."""
        out: list[str] = []
        size = 0
        for n in self.walk():
            for piece in [n.text] + n.lines:
                if piece:
                    out.append(piece)
                    size += len(piece)
            if size > limit:
                break
        return " ".join(out)[:limit]


#: An attribute line ("- Cơ quan chủ trì: Sở Nội vụ", "Thời gian thực hiện: Quý II"): a property of
#: the part above it, not a part of its own.
ATTR_RE = re.compile(
    r"^(?P<label>(?:(?:Cơ quan|Bộ phận|Đơn vị|Phòng|Địa phương|Ban|Lực lượng|Người)(?:,\s*\w+)*\s+)?"
    r"(?:(?:chủ|chỉ) trì|phối hợp|thực hiện)(?:\s+(?:tham mưu\s+)?thực hiện)?(?:\s+chính)?|"
    r"Thời gian(?: thực hiện| hoàn thành| triển khai)?|Thời hạn(?: hoàn thành| thực hiện)?|Tiến độ(?: thực hiện)?|"
    r"Kinh phí(?: thực hiện)?|Nguồn kinh phí|Hình thức(?: thực hiện)?|Chỉ tiêu|Sản phẩm(?: đầu ra)?|Số lượng|Quy mô|"
    r"Kết quả(?: đầu ra)?|Đối tượng)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_NOI_NHAN = "noi nhan"
# The heading of a text a decision issues: the type word in capitals alone on its line.
_ATTACHED_RE = re.compile(r"^(?:" + "|".join(k.upper() for k in ("KẾ HOẠCH", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "QUY CHẾ",
                                                              "QUY ĐỊNH", "HƯỚNG DẪN", "PHƯƠNG ÁN")) + r")\b")


def _is_heading_line(p: Paragraph) -> bool:
    """An unmarked line that heads a part: a markdown or Word heading, or a short bold line."""
    t = p.text
    if p.level:
        return len(t) < 300
    return p.bold and 3 <= len(t) <= 160 and not t.endswith((".", ";", ",")) and not t.startswith("(")


def _is_attached_heading(p: Paragraph) -> bool:
    """"QUY CHẾ", "KẾ HOẠCH" alone on a line (or "KẾ HOẠCH TUYÊN TRUYỀN …"): the heading of a text the
    decision issues. "QUY ĐỊNH CHUNG" is a chapter's title, not one."""
    t = p.text.strip(" :")
    f = fold(t)
    if not _ATTACHED_RE.match(t) or len(t) >= 200:
        return False
    return any(f == k or (f.startswith(k + " ") and k in TITLED_KINDS) for k in ATTACHED_KINDS)


def body_start(paragraphs: list[Paragraph]) -> int:
    """Index of the first line of the body: the first Roman part, article or chapter after the header
    (the document's own title block); without one, the first numbered item or list (with the sentence
    that opens it), whichever comes first; the top when there is neither."""
    numbered = listed = None
    for i, p in enumerate(paragraphs):
        m = lex(p.text)
        if m.kind in (ROMAN, ARTICLE, CHAPTER) or (m.kind == LETTER and m.label == "i" and m.rest[:1].isalpha()):
            early = [x for x in (numbered, listed) if x is not None]
            # a part far down a text that has lists long before it (an article that quotes "Điều 8 …" of a
            # law after its own steps) does not start the body
            return min(early) if early and i - min(early) > 12 else i
        if numbered is None and m.kind in (ARABIC, DOTTED + "1") and i > 3 and not fold(p.text).startswith("so"):
            numbered = i
        if listed is None and i > 2 and m.kind in (DASH, PLUS, ARABIC_PAREN, LETTER):
            listed = max(0, i - 3)  # with the sentence that opens the list
    found = [x for x in (numbered, listed) if x is not None]
    return min(found) if found else 0


def build_outline(paragraphs: list[Paragraph], start: int = 0) -> Node:
    """The document's parts from line `start` on, nested under a root node."""
    root = Node(None, None, "", line=-1)
    stack: list[Node] = [root]
    skipping = False
    open_attr: list | None = None  # the attribute line just read: "+" lines under it continue it
    merged: set[int] = set()
    for i in range(start, len(paragraphs)):
        if i in merged:
            continue
        p = paragraphs[i]
        t = p.text.strip()
        if not t:
            continue
        f = fold(t[:12])
        if f.startswith(_NOI_NHAN):
            skipping = True  # the recipients and the signature close the text
            continue
        m = lex(t)
        if m.kind == LETTER and m.label in ("i", "v", "x"):
            m = _roman_in_sequence(m, stack)
        attached = _is_attached_heading(p) and i > start
        if skipping:
            if not (attached or m.kind == APPENDIX):
                continue
            skipping = False
        if attached or m.kind == APPENDIX:
            # a text issued with the decision, or an appendix: a part of its own at the top
            node = Node(DOC if attached else APPENDIX, m.label if m.kind == APPENDIX else None,
                        m.rest if m.kind == APPENDIX else t, line=i, bold=p.bold, level=p.level)
            del stack[1:]
            _attach(root, node)
            stack.append(node)
            continue
        bare = m.rest if m.kind in (DASH, PLUS, None) else None
        if m.kind == PLUS and open_attr is not None:
            # "- Kinh phí thực hiện:" then "+ Từ nguồn …" lines: the attribute's values
            label, value = open_attr[0].attrs[open_attr[1]]
            open_attr[0].attrs[open_attr[1]] = (label, "; ".join(x for x in (value, m.rest.rstrip(" ;.")) if x))
            continue
        open_attr = None
        if bare is not None:
            a = ATTR_RE.match(bare)
            if a and len(stack) > 1 and a.group("value") is not None:
                stack[-1].attrs.append((fold(a.group("label")), a.group("value").strip()))
                open_attr = [stack[-1], len(stack[-1].attrs) - 1]
                continue
        kind = m.kind
        if kind is None:
            if not _is_heading_line(p):
                top = stack[-1]
                top.lines.append(t)
                continue
            kind = HEADING
        text = m.rest
        if kind == CHAPTER and not text and i + 1 < len(paragraphs):
            nxt = paragraphs[i + 1].text.strip()
            if nxt and lex(nxt).kind is None and len(nxt) < 200:
                text = nxt  # "Chương II" / "NỘI DUNG PHỐI HỢP": the chapter's title on the next line
                merged.add(i + 1)
        node = Node(kind, m.label, text, line=i, bold=p.bold, level=p.level)
        parent_at = _parent_index(stack, node)
        del stack[parent_at + 1:]
        _attach(stack[-1], node)
        stack.append(node)
    return root


def _roman_in_sequence(m: Marker, stack: list[Node]) -> Marker:
    """A lone "i.", "v." or "x." is a part number in lower case where the Roman parts expect it
    ("iv. …" then "v. tổ chức thực hiện"), and a letter otherwise."""
    value = roman_to_int(m.label.upper())
    romans = [n for n in stack if n.kind == ROMAN]
    if romans and romans[-1].ordinal == value - 1 or (value == 1 and not romans and len(stack) == 1):
        return Marker(ROMAN, m.label.upper(), m.rest)
    return m


def _attach(parent: Node, node: Node) -> None:
    node.parent = parent
    parent.children.append(node)


def _parent_index(stack: list[Node], node: Node) -> int:
    """Where in the stack of open parts the new part's parent is."""
    kind = node.kind
    same = [j for j in range(len(stack) - 1, 0, -1) if stack[j].kind == kind]
    if kind == HEADING:
        if node.level:
            # a heading closes every part opened under a heading of its level or deeper
            for j in range(1, len(stack)):
                if stack[j].level and stack[j].level >= node.level:
                    return j - 1
            return _close_lists(stack)
        same_fmt = [j for j in same if stack[j].level == node.level]
        return (same_fmt[0] - 1) if same_fmt else _close_lists(stack)
    if same:
        new = node.ordinal
        # the open part whose number this one continues
        cont = [j for j in same if _follows(kind, stack[j].ordinal, new)]
        if cont:
            return cont[0] - 1
        if new == 1 and kind not in (ARTICLE, CHAPTER):
            return len(stack) - 1  # a list that starts again: nested in the open part
        fmt = [j for j in same if stack[j].bold == node.bold and stack[j].level == node.level]
        return (fmt[0] if fmt else same[0]) - 1
    if node.level:
        for j in range(1, len(stack)):
            if stack[j].level and stack[j].level >= node.level:
                return j - 1
    if kind == CHAPTER:
        # a chapter closes every article and list opened before it
        j = len(stack) - 1
        while j > 0 and stack[j].kind not in (DOC, APPENDIX, CHAPTER):
            j -= 1
        return j
    if kind in (ARABIC, ARABIC_PAREN, LETTER, UPPER) or (kind or "").startswith(DOTTED):
        # a numbered or lettered item is never inside a dash item: it closes the dash list above it
        return _close_lists(stack)
    if kind in (ROMAN, ARTICLE):
        # a part heading never sits in a list item
        j = len(stack) - 1
        while j > 0 and stack[j].kind in (DASH, PLUS, LETTER, ARABIC, ARABIC_PAREN) and not stack[j].level:
            j -= 1
        return j
    return len(stack) - 1


def _close_lists(stack: list[Node]) -> int:
    j = len(stack) - 1
    while j > 0 and stack[j].kind in (DASH, PLUS):
        j -= 1
    return j


# --- 3. zones ---------------------------------------------------------------------------------


def zone_of_heading(text: str) -> str | None:
    """The zone a heading names, or None when it names none: the heading must open with the zone's
    words ("TỔ CHỨC THỰC HIỆN", "Trách nhiệm của các cơ quan", "Điều 3. Tổ chức thực hiện")."""
    f = fold(text[:160]).lstrip("*\"' ")
    for lead in ("ve ", "mot so ", "cac "):
        if f.startswith(lead):
            f = f[len(lead):]  # "Về nhiệm vụ trọng tâm …", "MỘT SỐ KIẾN NGHỊ …", "Các giải pháp …"
    for zone, words in ZONE_HEADINGS:
        for w in words:
            if f.startswith(w):
                return zone
    return None


_STRUCTURAL = (ROMAN, CHAPTER, ARTICLE, APPENDIX, DOC, HEADING, UPPER)


def _effect_article(node: Node) -> bool:
    """An article that says who carries the decision out and when it takes effect ("Điều 3. Chánh
    Văn phòng …, Giám đốc các sở … chịu trách nhiệm thi hành Quyết định này")."""
    f = fold(" ".join([node.text] + node.lines)[:1500])
    return "thi hanh quyet dinh nay" in f or "thi hanh nghi quyet nay" in f or "thi hanh chi thi nay" in f or \
        "co hieu luc" in f[:200] or "thi hanh thong tu nay" in f or "thi hanh nghi dinh nay" in f


def label_zones(root: Node) -> None:
    """Set `zone` on every part: its heading's zone, else its parent's."""
    for child in root.children:
        _label(child, "")


def _label(node: Node, inherited: str) -> None:
    own = None
    if node.kind not in (DASH, PLUS):
        head = node.text.split(":", 1)[0] if ":" in node.text[:120] else node.text
        short = len(head) < (160 if node.kind in _STRUCTURAL else 120) and not head.rstrip().endswith(".")
        own = zone_of_heading(head) if short else None
        if node.kind == ARTICLE and own is None and _effect_article(node):
            own = "effect"
        if node.kind == APPENDIX:
            own = "appendix"
        if own in ("basis", "objectives", "content") and inherited in ("implementation", "tasks") \
                and node.kind not in (ROMAN, CHAPTER, APPENDIX, DOC):
            own = None  # "a) Nội dung: …" inside a duty is no new part
        if own == "tasks" and inherited == "implementation":
            own = None  # "Nhiệm vụ của Sở …" under "Tổ chức thực hiện"
        if own == "implementation" and inherited == "tasks" and node.kind not in (ROMAN, CHAPTER, DOC):
            own = "implementation"
    node.zone = own or inherited
    if node.kind == DOC:
        node.zone = ""
    for c in node.children:
        _label(c, node.zone)


def export_sections(nodes: list[Node], depth: int = 0) -> list[dict]:
    """The outline as the schema's `sections`: the numbered parts, with their words."""
    out = []
    for n in nodes:
        if n.kind in (DASH, PLUS) or depth > 6:
            continue
        heading, text = split_heading(n.text)
        extra = "\n".join(n.lines)
        out.append({"number": n.label, "heading": heading,
                    "text": "\n".join(x for x in (text, extra) if x) or None,
                    "zone": n.zone or None,
                    "children": export_sections(n.children, depth + 1)})
    return out


def split_heading(rest: str) -> tuple[str, str | None]:
    colon = rest.find(":")
    if 0 < colon < 120 and colon < len(rest) - 1:
        return rest[:colon].strip(), rest[colon + 1:].strip() or None
    if len(rest) <= 200:
        return rest.strip(), None
    m = re.search(r"[.;](?=\s)", rest[:300])
    if m:
        return rest[: m.start()].strip(), rest[m.end():].strip() or None
    return rest[:200].rsplit(" ", 1)[0] + "…", rest
