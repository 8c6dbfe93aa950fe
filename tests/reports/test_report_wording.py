"""The consolidated .docx cites its plan as a Vietnamese report does: seed 004's title is only the
subject printed under "KẾ HOẠCH" ("Tuyên truyền cải cách hành chính năm 2023 …") and its number is the
decision's (233/QĐ-UBND), which read "Kết quả thực hiện Tuyên truyền …" and "Kế hoạch số 233/QĐ-UBND"."""

import datetime as dt
import io
from types import SimpleNamespace

import docx

from cchc.reports import exports, selectors


def _plan(title, number="", date=None):
    return SimpleNamespace(title=title, number=number, date=date)


def test_a_plan_is_named_and_cited_as_a_report_cites_it():
    seed = _plan("Tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang", "233/QĐ-UBND",
                 dt.date(2022, 12, 19))
    assert exports.plan_name(seed) == "Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang"
    assert exports.plan_reference(seed) == (
        "Thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang "
        "ban hành kèm theo Quyết định số 233/QĐ-UBND ngày 19/12/2022")
    plan = _plan("Kế hoạch tuyên truyền CCHC năm 2026", "12/KH-UBND", dt.date(2026, 1, 5))
    assert exports.plan_name(plan) == "Kế hoạch tuyên truyền CCHC năm 2026"
    assert exports.plan_reference(plan) == "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026"
    assert exports.plan_name(_plan("CCHC năm 2026")) == "Kế hoạch CCHC năm 2026"
    assert exports.plan_reference(_plan("Tuyên truyền CCHC")) == "Thực hiện Kế hoạch tuyên truyền CCHC"


def test_the_docx_cites_an_imported_decisions_plan(world, q1):
    plan = world.plan
    plan.title, plan.number, plan.date = "Tuyên truyền cải cách hành chính năm 2026", "5/QĐ-UBND", dt.date(2026, 1, 5)
    plan.save(update_fields=["title", "number", "date"])
    document = docx.Document(io.BytesIO(exports.consolidated_docx(selectors.consolidated(plan=plan, period=q1))))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2026 {q1.label}" in paragraphs
    assert any(p.startswith("Thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2026 ban hành kèm theo "
                            "Quyết định số 5/QĐ-UBND ngày 05/01/2026; số liệu tính từ") for p in paragraphs)
