"""The recording form and its service: whole quantities of things counted whole (lớp, bài), options that
name their task, and a title required of people (not of modules)."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from cchc.outputs import services
from cchc.outputs.catalogue import CATALOGUE, measure_is_whole
from cchc.outputs.models import OutputRecord, OutputType

pytestmark = pytest.mark.django_db


def _post(client, unit, **data):
    base = {"serves": "", "output_type": OutputType.objects.get(code="leaflet").pk, "date": "10/03/2026",
            "title": "Tờ gấp dịch vụ công", "quantity": "1", "channel": "", "language": "vi", "people_reached": "",
            "cost": "", "link": ""}
    base.update(data)
    return client.post(reverse("outputs:create", args=[unit.code]), base)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ngày", "Loại sản phẩm", "Tên, nội dung", "Số lượng", "Nhiệm vụ", "Chỉ tiêu", "Kênh", "Ngôn ngữ",
               "Số người", "Kinh phí", "Đường dẫn"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("san-pham.xlsx", buf.getvalue())


# ---------------------------------------------------------------- whole quantities

def test_every_catalogue_measure_counts_whole_things_and_divisible_measures_keep_decimals():
    assert all(measure_is_whole(spec.measure) for spec in CATALOGUE)
    for measure in ("lớp", "tin, bài", "phóng sự", "số", "tờ", "pa nô", "băng rôn", "buổi", "lượt phát", "cuốn"):
        assert measure_is_whole(measure), measure
    for measure in ("giờ", "giờ phát sóng", "km", "m²", "triệu đồng", "ngày"):
        assert not measure_is_whole(measure), measure


def test_the_form_refuses_a_fraction_of_a_class_naming_its_unit_in_vietnamese(org_tree, client, settings):
    client.force_login(org_tree.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    training = OutputType.objects.get(code="training_class")
    with translation.override("vi"):
        response = _post(client, org_tree.commune_a, output_type=training.pk, quantity="1.5", title="Lớp tập huấn")
    assert response.status_code == 200 and not OutputRecord.objects.exists()
    assert response.context["form"].errors["quantity"] == ["Số lượng lớp phải là số nguyên."]
    # once the type is known, the page's quantity input steps by whole numbers
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="quantity"[^>]*step="1"', html)
    # two classes are fine
    with translation.override("vi"):
        response = _post(client, org_tree.commune_a, output_type=training.pk, quantity="2", title="Lớp tập huấn")
    assert response.status_code == 302 and OutputRecord.objects.get().quantity == 2


def test_the_form_marks_each_type_whole_or_divisible_for_its_quantity_input(org_tree, client):
    hours = OutputType.objects.create(code="talk_hours", name="Giờ nói chuyện chuyên đề", measure="giờ", order=500)
    client.force_login(org_tree.officer_a)
    html = client.get(reverse("outputs:create", args=[org_tree.commune_a.code])).content.decode()
    classes = OutputType.objects.get(code="training_class")
    assert re.search(rf'<option value="{classes.pk}"[^>]*data-whole="1"', html)
    assert re.search(rf'<option value="{hours.pk}"[^>]*data-whole="0"', html)
    # the first type (an e-portal article) is chosen when the page opens: whole steps
    assert re.search(r'<input[^>]*name="quantity"[^>]*step="1"', html)
    response = _post(client, org_tree.commune_a, output_type=hours.pk, quantity="1.5", title="Nói chuyện chuyên đề",
                     date="32/03/2026")
    assert "quantity" not in response.context["form"].errors
    assert re.search(r'<input[^>]*name="quantity"[^>]*step="any"', response.content.decode())


def test_the_service_refuses_a_fraction_of_an_article_but_keeps_hours_divisible(org_tree):
    t = org_tree
    with pytest.raises(services.OutputError) as refused:
        services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="training_class",
                                      date=dt.date(2026, 3, 10), quantity=Decimal("1.5"), title="Lớp")
    assert refused.value.fields == {"quantity": ["The quantity of lớp must be a whole number."]}
    record = services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="portal_article",
                                           date=dt.date(2026, 3, 10), quantity=2, title="Tin")
    with pytest.raises(services.OutputError, match="The quantity of tin, bài must be a whole number"):
        services.output_record_update(record=record, user=t.officer_a, quantity=Decimal("0.5"))
    OutputType.objects.create(code="talk_hours", name="Giờ nói chuyện chuyên đề", measure="giờ", order=500)
    hours = services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="talk_hours",
                                          date=dt.date(2026, 3, 10), quantity=Decimal("1.5"), title="Nói chuyện")
    assert hours.quantity == Decimal("1.50")


def test_a_fraction_saved_before_is_shown_as_a_problem_to_correct(org_tree):
    record = OutputRecord.objects.create(unit=org_tree.commune_a, output_type=OutputType.objects.get(code="training_class"),
                                         date=dt.date(2026, 3, 1), quantity=Decimal("1.5"), title="Lớp cũ")
    assert record.problems == ["The quantity of lớp must be a whole number."]


def test_the_spreadsheet_refuses_a_fraction_of_a_class(org_tree):
    file = _xlsx([
        ["02/03/2026", "Lớp tập huấn, bồi dưỡng", "Tập huấn CCHC", "1,5", None, None, None, None, 30, None, None],
        ["03/03/2026", "Tờ rơi, tờ gấp", "Tờ gấp", 200, None, None, None, None, None, None, None],
    ])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert not result.ok and result.created == 0
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "D", "The quantity of lớp must be a whole number.")]
    assert not OutputRecord.objects.exists()


# ---------------------------------------------------------------- options that name their task

def test_each_option_names_its_task_so_a_chosen_one_says_which_task(org_tree, cascade, client):
    client.force_login(org_tree.officer_a)
    task = cascade.child_training
    target = cascade.child_classes
    response = _post(client, org_tree.commune_a, serves=f"g:{target.pk}", title="",
                     output_type=OutputType.objects.get(code="training_class").pk)
    assert response.status_code == 200  # the title is missing: the form comes back with the choice kept
    groups = dict(response.context["form"].fields["serves"].choices[1:])
    labels = {value: str(label) for group in groups.values() for value, label in group}
    assert labels[f"g:{target.pk}"] == f"{task.order}. Tổ chức lớp tập huấn nghiệp vụ cải cách hành chính — 02 lớp"
    assert labels[f"t:{task.pk}"].startswith(f"{task.order}. Tổ chức lớp tập huấn") \
        and labels[f"t:{task.pk}"].endswith("— the task as a whole")
    html = response.content.decode()
    assert re.search(rf'<option value="g:{target.pk}"[^>]*selected[^>]*>{task.order}\. Tổ chức lớp tập huấn', html)


def test_a_long_task_title_is_cut_to_about_sixty_characters(org_tree):
    from cchc.outputs.forms import short_task
    from cchc.plans.models import Task

    long = Task(order=12, title="Tổ chức tập huấn  kỹ năng tuyên truyền cải cách hành chính cho đội ngũ cán bộ, "
                               "công chức cấp xã trên địa bàn tỉnh")
    short = short_task(long)
    assert short.startswith("12. Tổ chức tập huấn kỹ năng") and short.endswith(" …") and len(short) <= 70


# ---------------------------------------------------------------- a title, required of people

def test_the_form_requires_a_title(org_tree, client, settings):
    client.force_login(org_tree.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    with translation.override("vi"):
        response = _post(client, org_tree.commune_a, title="   ")
        errors = [str(m) for m in response.context["form"].errors["title"]]
    assert response.status_code == 200 and not OutputRecord.objects.exists()
    assert errors == [
        "Chưa có tên, nội dung. Hãy ghi sản phẩm đã đăng hoặc hoạt động đã tổ chức, ví dụ tên bài viết hoặc chủ đề "
        "lớp tập huấn."]


def test_the_spreadsheet_requires_a_title(org_tree):
    file = _xlsx([["02/03/2026", "Tờ rơi, tờ gấp", "", 200, None, None, None, None, None, None, None]])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert [(e.row, e.column) for e in result.errors] == [(2, "C")]
    assert result.errors[0].message.startswith("The title or content is missing.")


def test_a_module_may_still_record_without_a_title(org_tree, news_source):
    record = services.output_record_from_source(source="tests.news", source_ref="a-1", unit=org_tree.commune_a,
                                                output_type="", date=dt.date(2026, 3, 5))
    assert record.pk and record.title == ""
