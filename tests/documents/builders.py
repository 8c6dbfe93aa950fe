"""Variants of the shared plan documents, built at test time (no binary fixtures are stored).

`docx_from_text` lays a plain-text plan out the way a Word original is laid out: the header in a
borderless two-column table, one paragraph per line, and tab-separated rows as a real bordered
table whose wrapped rows (first cell empty) are joined back into one row.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from tests.public_documents import PLAN_SCHEMA, SEEDS, document, plan_documents


def shared_documents() -> list[Path]:
    """Every real plan the tests read (seeds and corpus plans)."""
    return plan_documents()


def seed(prefix: str) -> Path:
    return document(next(n for n in SEEDS if n.startswith(prefix)))


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in lines:
        cells = [c.strip() for c in line.split("\t")]
        if rows and not cells[0] and len(cells) <= len(rows[0]) + 1:
            # A row that wrapped across a page: its cells continue the previous row's cells.
            for i, cell in enumerate(cells[: len(rows[-1])]):
                if cell:
                    rows[-1][i] = f"{rows[-1][i]} {cell}".strip()
            continue
        rows.append(cells)
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def docx_from_text(text: str, path: Path, *, borders: bool = True) -> Path:
    """The plan as a Word file; with ``borders=False`` the task table is drawn without lines."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]

    # The header: issuing body (left) beside the national motto (right), number beside date.
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    motto = next((i for i, line in enumerate(lines[:20]) if line.strip().startswith("CỘNG HÒA")), None)
    number = next((i for i, line in enumerate(lines[:25]) if line.strip().startswith("Số:")), None)
    dated = next((i for i, line in enumerate(lines[:30]) if re.search(r", ngày .* năm \d{4}", line)), None)
    body_start = 0
    if number is not None and dated is not None:
        left = [l.strip() for l in lines[start : motto if motto is not None else number] if l.strip()]
        right = [l.strip() for l in lines[motto:number] if l.strip()] if motto is not None else []
        header = document.add_table(rows=2, cols=2)
        for col, cell_lines in ((0, left), (1, right)):
            cell = header.cell(0, col)
            for k, line in enumerate(cell_lines):
                para = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.add_run(line).bold = True
        header.cell(1, 0).paragraphs[0].add_run(lines[number].strip())
        date_para = header.cell(1, 1).paragraphs[0]
        date_para.add_run(lines[dated].strip()).italic = True
        body_start = dated + 1

    i = body_start
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            j = i
            block: list[str] = []
            while j < len(lines) and ("\t" in lines[j] or not lines[j].strip()):
                if lines[j].strip():
                    block.append(lines[j])
                j += 1
            rows = _table_rows(block)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            if borders:
                table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
                    if r == 0:
                        for run in table.cell(r, c).paragraphs[0].runs:
                            run.bold = True
            i = j
            continue
        stripped = line.strip()
        if stripped:
            # "**" in the text marks bold runs; a heading glued to its text is split at it.
            pieces = [p.strip() for p in stripped.split("**")]
            for k, piece in enumerate(pieces):
                piece = piece.strip("*").strip()
                if not piece:
                    continue
                para = document.add_paragraph()
                run = para.add_run(piece)
                run.bold = k % 2 == 1 or (piece.isupper() and len(piece) > 3)
                if piece.isupper() and len(piece.split()) <= 6 and not re.match(r"^[IVX]+\.", piece):
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        i += 1
    document.save(path)
    return path


def soffice_pdf(source: Path, outdir: Path) -> Path | None:
    """Convert with LibreOffice in a private profile; None when LibreOffice is absent."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if not binary:
        return None
    profile = tempfile.mkdtemp(prefix="cchc-soffice-")
    try:
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (source.stem + ".pdf")
    return pdf if pdf.exists() else None


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sample_plan() -> dict:
    """A small plan in the shape of `plan.schema.json`, written by hand (no parser involved)."""
    def task(title, lead, support, text, start, end, recurrence, targets=(), section=None):
        return {
            "title": title, "text": None, "forms": [], "lead": lead, "support": support,
            "timeframe": {"text": text, "start": start, "end": end, "recurrence": recurrence},
            "targets": list(targets), "funding": None, "section": section,
        }

    return {
        "schema": "cchc.plan/1",
        "document": {
            "kind": "KH", "number": "174/KH-UBND", "symbol": "KH-UBND", "place": "Thái Bình",
            "date": "2023-12-29", "year": 2023, "issuer": "Ủy ban nhân dân tỉnh Thái Bình",
            "title": "Tuyên truyền cải cách hành chính năm 2024", "plan_year": 2024,
            "signer": {"name": "Nguyễn Quang Hưng", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"},
            "recipients": ["Bộ Nội vụ", "Thường trực Tỉnh ủy", "Các sở, ban, ngành", "Lưu: VT, NC"],
        },
        "references": [
            {"kind": "Nghị quyết", "number": "76/NQ-CP", "date": "2021-07-15", "issuer": "Chính phủ", "role": "basis"},
            {"kind": "Kế hoạch", "number": "35/KH-UBND", "date": "2023-02-05", "issuer": "UBND tỉnh", "role": "implements"},
        ],
        "sections": [
            {"number": "I", "heading": "MỤC ĐÍCH, YÊU CẦU", "text": None, "children": [
                {"number": "1", "heading": "Mục đích", "text": "Nâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân về cải cách hành chính.", "children": []},
            ]},
            {"number": "II", "heading": "NHIỆM VỤ, GIẢI PHÁP", "text": None, "children": [
                {"number": "1", "heading": "Tập huấn nghiệp vụ cải cách hành chính", "text": None, "children": []},
            ]},
            {"number": "III", "heading": "TỔ CHỨC THỰC HIỆN", "text": None, "children": [
                {"number": "1", "heading": "Sở Nội vụ", "text": "Theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch.", "children": []},
            ]},
        ],
        "tasks": [
            task("Tập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã", ["Sở Nội vụ"],
                 ["UBND các huyện, thành phố", "Trường Chính trị tỉnh"], "Quý II, Quý III/2024",
                 "2024-04-01", "2024-09-30", "once",
                 [{"quantity": 10, "unit": "lớp", "text": "10 lớp"}, {"quantity": 1000, "unit": "lượt", "text": "khoảng 1000 lượt"}],
                 section="II.1"),
            task("Theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch", ["Sở Nội vụ"], [],
                 "Thường xuyên", "2024-01-01", "2024-12-31", "continuous", section="III.1"),
            task("Duy trì chuyên mục Cải cách hành chính trên sóng phát thanh, truyền hình",
                 ["Đài Phát thanh và Truyền hình tỉnh"], ["Sở Nội vụ", "Sở Thông tin và Truyền thông"],
                 "Định kỳ hằng quý", "2024-01-01", "2024-12-31", "quarterly",
                 [{"quantity": 12, "unit": "chuyên mục", "per": "year", "text": "12 chuyên mục/năm"}]),
            task("Cấp kinh phí tổ chức tuyên truyền cải cách hành chính", ["Sở Tài chính"], ["Sở Nội vụ"],
                 "Quý I/2024", "2024-01-01", "2024-03-31", "once"),
        ],
        "reporting": {"periods": ["Q1", "H1", "Q3", "Y"], "deadlines": [], "recipient": "Sở Nội vụ", "text": None},
        "funding": ["Ngân sách tỉnh"],
    }


def parser_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("cchc.documents.parser") is not None


def plan_validator():
    """A JSON-schema validator for `plan.schema.json`."""
    import json

    import jsonschema

    schema = json.loads(PLAN_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def task_key(task: dict) -> tuple:
    """What a reader compares between two readings of the same plan: words, agencies, timing."""
    frame = task.get("timeframe") or {}

    def norm(text) -> str:
        return " ".join(str(text or "").split()).rstrip(" .;,")

    return (
        norm(task.get("title")),
        tuple(norm(a) for a in task.get("lead") or []),
        tuple(norm(a) for a in task.get("support") or []),
        frame.get("start"),
        frame.get("end"),
    )
