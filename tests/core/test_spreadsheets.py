"""Exported workbooks are inert: formula-like text stays text."""

import io

from openpyxl import Workbook, load_workbook

from cchc.core.spreadsheets import make_inert


def test_formula_like_text_is_written_as_text():
    wb = Workbook()
    ws = wb.active
    texts = ['=HYPERLINK("http://x.example","bấm")', "+1+2", "-3", "@SUM(A1)", "\tx", "Tin, bài", "12"]
    for t in texts:
        ws.append([t, 5])
    assert make_inert(ws) == 5
    buf = io.BytesIO()
    wb.save(buf)
    back = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [row[0].value for row in back.iter_rows()] == texts
    assert all(row[0].data_type == "s" for row in back.iter_rows())
    assert back["B1"].value == 5 and back["B1"].data_type == "n"

