"""Every number is bounded, dates are checked, a corrupted row does not break the pages (issue 9, point 6)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from cchc.outputs.models import OutputRecord, OutputType


def _corrupt(record, **values):
    """Write values the database column holds but the model cannot read, as an older version or a raw
    edit could have left them."""
    table = OutputRecord._meta.db_table
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, record.pk])


def test_a_corrupted_row_is_shown_as_such(org_tree, client):
    t = org_tree
    good = OutputRecord.objects.create(unit=t.commune_a, output_type=OutputType.objects.get(code="leaflet"),
                                       date=dt.date(2026, 3, 1), quantity=Decimal(2), title="Tờ rơi đúng")
    bad = OutputRecord.objects.create(unit=t.commune_a, output_type=OutputType.objects.get(code="leaflet"),
                                      date=dt.date(2026, 3, 2), quantity=Decimal(1), title="Tờ rơi hỏng")
    # SQLite holds a number wider than the column (which Django then fails to read); PostgreSQL refuses
    # it, but an older version could still have written a quantity beyond today's bound
    _corrupt(bad, quantity="123456789012345678" if connection.vendor == "sqlite" else "99999999.00")
    client.force_login(t.officer_a)
    response = client.get(reverse("outputs:unit", args=[t.commune_a.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tờ rơi đúng" in html and "Tờ rơi hỏng" in html and "out of bounds: open it to correct" in html
    detail = client.get(reverse("outputs:detail", args=[bad.pk])).content.decode()
    assert 'id="record-problems"' in detail and "Quantity must be at most 1.000.000." in detail
    assert 'id="record-problems"' not in client.get(reverse("outputs:detail", args=[good.pk])).content.decode()
    # its edit page opens, and correcting it saves
    assert client.get(reverse("outputs:edit", args=[bad.pk])).status_code == 200
    from cchc.outputs import services

    services.output_record_update(record=bad, user=t.officer_a, quantity=Decimal(3))
    bad.refresh_from_db()
    assert bad.quantity == 3 and bad.problems == []


def _post(client, unit, **data):
    leaflet = OutputType.objects.get(code="leaflet")
    base = {"serves": "", "output_type": leaflet.pk, "date": "10/03/2026", "title": "", "quantity": "1", "channel": "",
            "language": "vi", "people_reached": "", "cost": "", "link": ""}
    base.update(data)
    return client.post(reverse("outputs:create", args=[unit.code]), base)


@pytest.mark.parametrize("field, value, message", [
    ("quantity", "0", "Số lượng phải lớn hơn 0."),
    ("quantity", "99999999999999", "Số lượng tối đa là 1.000.000."),
    ("quantity", "1,5e3000", "Số lượng phải là một số."),
    ("people_reached", "3000000000", "Số người được tiếp cận tối đa là 100.000.000."),
    ("people_reached", "-4", "Số người được tiếp cận phải từ 0 trở lên."),
    ("cost", "1000000000000000000", "Kinh phí (đồng) tối đa là 100.000.000.000."),
    # written as a power of ten, or a fraction of a person: the limit or the whole number is named
    ("people_reached", "1e20", "Số người được tiếp cận tối đa là 100.000.000."),
    ("people_reached", "99999999999", "Số người được tiếp cận tối đa là 100.000.000."),
    ("people_reached", "12,5", "Số người được tiếp cận phải là số nguyên."),
    ("cost", "1e20", "Kinh phí (đồng) tối đa là 100.000.000.000."),
    ("cost", "999999999999", "Kinh phí (đồng) tối đa là 100.000.000.000."),
    ("cost", "nhiều", "Kinh phí (đồng) phải là một số."),
])
def test_the_form_names_the_limit_in_vietnamese_without_stray_spaces(org_tree, client, settings, field, value, message):
    from django.utils import translation

    client.force_login(org_tree.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    with translation.override("vi"):
        response = _post(client, org_tree.commune_a, **{field: value})
    assert response.status_code == 200 and not OutputRecord.objects.exists()
    html = response.content.decode()
    assert message in html, message
    assert " ." not in " ".join(response.context["form"].errors.get(field, []))


def test_dates_in_the_future_or_outside_the_plan_years_are_refused(org_tree, cascade):
    from django.utils import timezone

    from cchc.outputs import services

    t, news = org_tree, cascade.news_target  # a 2026 plan
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.OutputError, match="is in the future"):
        services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="portal_article", date=tomorrow)
    with pytest.raises(services.OutputError) as refused:
        services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="portal_article",
                                      date=dt.date(2024, 5, 2), target=news)
    assert str(refused.value) == ("02/05/2024 is outside the years of the plan (01/12/2025 – 31/12/2026): "
                                  "choose the plan of that year or correct the date.")
    assert refused.value.fields == {"date": [str(refused.value)]}
    # the first report's window starts in December of the year before: that is the plan's
    services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="portal_article",
                                  date=dt.date(2025, 12, 20), target=news)
    assert OutputRecord.objects.count() == 1


def test_the_spreadsheet_refuses_numbers_the_database_cannot_hold_and_future_dates(org_tree, cascade):
    from django.utils import timezone

    from cchc.outputs import services

    from .test_spreadsheet import xlsx

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    news = cascade.child.tasks.get(parent_task=cascade.news)
    file = xlsx([
        ["02/03/2026", "Tờ rơi, tờ gấp", "Quá lớn", "1e20", None, None, None, None, None, None, None],
        ["02/03/2026", "Tờ rơi, tờ gấp", "NaN", "NaN", None, None, None, None, None, None, None],
        ["02/03/2026", "Hội nghị", "Người", 1, None, None, None, None, 10**12, None, None],
        ["02/03/2026", "Tờ rơi, tờ gấp", "Tiền", 1, None, None, None, None, None, "10" * 9, None],
        [tomorrow.strftime("%d/%m/%Y"), "Tờ rơi, tờ gấp", "Ngày mai", 1, None, None, None, None, None, None, None],
        ["02/03/2024", "Tin, bài trên Cổng/Trang thông tin điện tử", "Năm khác", 1, f"{news.pk}", None, None, None, None,
         None, None],
    ])
    result = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=file)
    assert not OutputRecord.objects.exists()
    messages = {e.row: e.message for e in result.errors}
    assert messages[2] == "Quantity must be at most 1.000.000."
    assert "not a number" in messages[3]
    assert messages[4] == "People reached must be at most 100.000.000."
    assert messages[5] == "Cost (VND) must be at most 100.000.000.000."
    if 6 in messages:  # row 6 is reached once the others are right: check it alone
        assert "in the future" in messages[6]
    alone = services.output_records_import_xlsx(user=org_tree.officer_a, unit=org_tree.commune_a, file=xlsx([
        [tomorrow.strftime("%d/%m/%Y"), "Tờ rơi, tờ gấp", "Ngày mai", 1, None, None, None, None, None, None, None],
        ["02/03/2024", "Tin, bài trên Cổng/Trang thông tin điện tử", "Năm khác", 1, f"{news.pk}", None, None, None, None,
         None, None],
    ]))
    assert [(e.row, e.column) for e in alone.errors] == [(2, "A"), (3, "A")]
    assert "in the future" in alone.errors[0].message and "outside the years of the plan" in alone.errors[1].message
    assert not OutputRecord.objects.exists()
