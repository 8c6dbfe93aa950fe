"""Recording many outputs from the .xlsx template: all rows or none, every error by row and column."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cchc.core.models import AuditEvent
from cchc.outputs import services
from cchc.outputs.models import OutputRecord
from cchc.outputs.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db

def headers() -> list[str]:
    """Date, Output type, Title, Quantity, Task, Target, Channel, Language, People, Cost, Link (in the active language)."""
    return [str(c.header) for c in COLUMNS]


def xlsx(rows, headers=None) -> SimpleUploadedFile:
    headers = headers or globals()["headers"]()
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("san-pham.xlsx", buf.getvalue())


def test_happy_path_saves_every_row(org_tree, cascade):
    copy = cascade.child.tasks.get(parent_task=cascade.training)
    file = xlsx([
        [dt.datetime(2026, 3, 2), "Tin, bài trên Cổng/Trang thông tin điện tử", "Dịch vụ công trực tuyến", 3, None, None,
         "Trang TTĐT phường", "Tiếng Việt", None, "1.500.000", "https://hagiang1.gov.vn/tin/12"],
        ["15/03/2026", "Lớp tập huấn, bồi dưỡng", "Tập huấn CCHC", 1, f"{copy.pk} · {copy.title}", None, None, None, 45,
         None, None],
        ["16/3/2026", "loudspeaker", "Phát thanh tiếng Mông", "2", None, None, "Loa thôn", "H'Mông", None, None, None],
    ])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert result.ok and result.created == 3, result.errors
    portal, training, speaker = OutputRecord.objects.order_by("date")
    assert portal.cost == Decimal("1500000") and portal.quantity == 3 and portal.source == "spreadsheet"
    assert training.task == copy and training.target == copy.targets.get(order=0) and training.people_reached == 45
    assert speaker.language == "mong" and speaker.quantity == Decimal("2.00") and speaker.date == dt.date(2026, 3, 16)
    event = AuditEvent.objects.get(object_type="outputs.outputrecord", action="create")
    assert event.after["count"] == 3 and event.actor == org_tree.officer_a


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(org_tree):
    file = xlsx([
        ["02/03/2026", "Tờ rơi, tờ gấp", "Tờ gấp đúng", 200, None, None, None, None, None, None, None],
        ["31/02/2026", "Tờ rơi, tờ gấp", "Ngày sai", 100, None, None, None, None, None, None, None],
        ["03/03/2026", "Bản tin truyền hình vệ tinh", "Loại lạ", 1, None, None, None, None, None, None, None],
        ["04/03/2026", "Hội nghị", "Số âm", -5, None, None, None, None, None, None, None],
    ])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert not result.ok and result.created == 0
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(3, "A"), (4, "B"), (5, "D")]
    assert "31/02/2026" in result.errors[0].message and "dd/mm/yyyy" in result.errors[0].message
    assert "Bản tin truyền hình vệ tinh" in result.errors[1].message
    assert "more than zero" in result.errors[2].message and result.errors[2].header == "Quantity"
    assert OutputRecord.objects.count() == 0


def test_unknown_task_and_language_are_errors(org_tree, cascade):
    file = xlsx([["02/03/2026", "Tờ rơi, tờ gấp", "Tờ gấp", 1, "99999 · không có", None, None, "tiếng Klingon", None, None, None]])
    result = services.output_records_import_xlsx(user=org_tree.officer_b, unit=org_tree.commune_b, file=file)
    assert [(e.row, e.column) for e in result.errors] == [(2, "E"), (2, "H")]
    assert OutputRecord.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(org_tree):
    with pytest.raises(services.OutputError, match="not such a file"):
        services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a,
                                            file=SimpleUploadedFile("x.xlsx", b"hello"))


def test_template_round_trip_through_the_pages(client, org_tree, cascade):
    client.force_login(org_tree.officer_a)
    response = client.get(reverse("outputs:template", args=[org_tree.commune_a.code]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws, lists = wb.worksheets
    assert [c.value for c in ws[1]] == headers()
    assert ws["A2"].number_format == "DD/MM/YYYY" and ws["A3"].number_format == "DD/MM/YYYY"
    assert {str(dv.sqref)[0] for dv in ws.data_validations.dataValidation} >= {"A", "B", "D", "E", "H"}
    type_names = [r[0].value for r in lists.iter_rows(min_row=2) if r[0].value]
    task_labels = [r[6].value for r in lists.iter_rows(min_row=2) if r[6].value]
    target_labels = [r[8].value for r in lists.iter_rows(min_row=2) if r[8].value]
    assert "Lớp tập huấn, bồi dưỡng" in type_names and len(task_labels) == 2 and len(target_labels) == 3
    # Fill two rows under the example (which is left in place and skipped), the way a user would.
    ws.append([dt.datetime(2026, 3, 20), "Lớp tập huấn, bồi dưỡng", "Tập huấn tháng 3", 1, None, target_labels[0],
               "Hội trường phường", "Tiếng Việt", 38, 2000000, None])
    ws.append([dt.datetime(2026, 3, 21), "Tin, bài trên Cổng/Trang thông tin điện tử", "Tin thứ nhất", 1, task_labels[1],
               None, None, None, None, None, "hagiang1.gov.vn/tin/1"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("da-dien.xlsx", buf.getvalue())
    result = client.post(reverse("outputs:import", args=[org_tree.commune_a.code]), {"file": upload})
    assert result.status_code == 200, result.content.decode()[-800:]
    assert "2 outputs were recorded" in result.content.decode()
    training, news = OutputRecord.objects.order_by("date")
    assert training.target.unit == "lớp" and training.people_reached == 38 and training.cost == 2000000
    assert news.task.parent_task == cascade.news and news.link == "https://hagiang1.gov.vn/tin/1"


def test_upload_page_lists_errors_and_saves_nothing(client, org_tree):
    client.force_login(org_tree.officer_a)
    file = xlsx([["2026-13-45", "Tờ rơi, tờ gấp", "", 0, None, None, None, None, None, None, None]])
    response = client.post(reverse("outputs:import", args=[org_tree.commune_a.code]), {"file": file})
    html = response.content.decode()
    assert response.status_code == 422 and "Nothing was saved" in html
    assert "<td>2</td><td>A (Date (dd/mm/yyyy))</td>" in html and "<td>2</td><td>D (Quantity)</td>" in html
    assert OutputRecord.objects.count() == 0


def test_columns_are_found_by_vietnamese_headers_in_any_order(org_tree):
    file = xlsx([[5, "Hội nghị", "14/03/2026", "Hội nghị đối thoại"]], headers=["Số lượng", "Loại sản phẩm", "Ngày", "Tên"])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert result.ok, result.errors
    record = OutputRecord.objects.get()
    assert record.quantity == 5 and record.date == dt.date(2026, 3, 14) and record.output_type.code == "conference"
