"""A question bank as organisers write it, built as an .xlsx in memory."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.contests.services import HEADERS

TOPICS = ["Cổng Dịch vụ công quốc gia", "Bộ phận Một cửa", "phản ánh, kiến nghị", "chữ ký số", "thủ tục hành chính",
          "dịch vụ công trực tuyến toàn trình", "bưu chính công ích", "Chỉ số SIPAS", "Chỉ số PAR Index", "định danh điện tử"]


def bank_rows(n: int = 50) -> list[list]:
    """n questions: every fifth has two correct options (A and C), the others one (B)."""
    rows = [list(HEADERS)]
    for i in range(1, n + 1):
        topic = TOPICS[i % len(TOPICS)]
        multiple = i % 5 == 0
        rows.append([i, f"Câu {i}: điều nào đúng về {topic}?", f"Phương án thứ nhất về {topic} ({i})",
                     f"Phương án thứ hai về {topic} ({i})", f"Phương án thứ ba về {topic} ({i})",
                     f"Phương án thứ tư về {topic} ({i})", None, None, "A, C" if multiple else "B",
                     f"Giải thích câu {i} về {topic}."])
    return rows


def xlsx(rows: list[list], name: str = "ngan-hang-cau-hoi.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def correct_answers(questions) -> dict[str, list[int]]:
    return {str(q.pk): list(q.correct) for q in questions}
