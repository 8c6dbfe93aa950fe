"""Recording by hand: the service, its audit record, and the pages with their permissions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.outputs import services
from cchc.outputs.models import OutputRecord

pytestmark = pytest.mark.django_db


def test_record_by_hand_writes_row_and_audit(org_tree, cascade):
    record = services.output_record_create(
        user=org_tree.officer_a, unit=org_tree.commune_a, output_type="training_class", date=dt.date(2026, 3, 10),
        quantity=1, people_reached=42, title="Lớp tập huấn  CCHC cho cán bộ", task=cascade.training,
        target=cascade.classes, channel="Hội trường UBND phường", cost=Decimal("3500000"),
    )
    record.refresh_from_db()
    assert record.quantity == Decimal("1.00") and record.people_reached == 42 and record.created_by == org_tree.officer_a
    assert "lop tap huan" in record.search_text
    event = AuditEvent.objects.get(object_type="outputs.outputrecord", object_id=str(record.pk))
    assert event.action == "create" and event.actor == org_tree.officer_a and event.unit_id == org_tree.commune_a.pk
    assert event.after["people_reached"] == 42


def test_task_without_target_takes_the_only_fitting_target(org_tree, cascade):
    record = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="training_class",
                                           date=dt.date(2026, 3, 10), task=cascade.training, people_reached=30)
    assert record.target == cascade.classes  # "02 lớp", not the people target


@pytest.mark.parametrize("field, value, message", [
    ("quantity", 0, r"^Quantity must be more than 0\.$"), ("quantity", -2, r"^Quantity must be more than 0\.$"),
    ("quantity", Decimal("1000000.01"), r"^Quantity must be at most 1\.000\.000\.$"),
    ("quantity", "1e400", r"^Quantity must be at most 1\.000\.000\.$"),
    ("quantity", Decimal("NaN"), r"^Quantity must be a number\.$"),
    ("quantity", Decimal("1.234"), r"^Quantity has at most 2 digits after the decimal comma\.$"),
    ("people_reached", -1, r"^People reached must be at least 0\.$"),
    ("people_reached", 3_000_000_000, r"^People reached must be at most 100\.000\.000\.$"),
    ("cost", Decimal("-5"), r"^Cost \(VND\) must be at least 0\.$"),
    ("cost", Decimal("1e15"), r"^Cost \(VND\) must be at most 100\.000\.000\.000\.$"),
])
def test_bad_numbers_are_refused(org_tree, field, value, message):
    kwargs = {"quantity": 1, field: value}
    with pytest.raises(services.OutputError, match=message):
        services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                      date=dt.date(2026, 3, 1), **kwargs)
    assert not OutputRecord.objects.exists()


def test_task_of_another_unit_is_refused(org_tree, cascade):
    with pytest.raises(services.OutputError, match="not one of the tasks"):
        services.output_record_create(user=org_tree.officer_b, unit=org_tree.commune_b, output_type="portal_article",
                                      date=dt.date(2026, 3, 1), task=cascade.news)


def test_evidence_file_type_is_checked(org_tree):
    fake = SimpleUploadedFile("bien-ban.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(services.OutputError, match="not such a file"):
        services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                      date=dt.date(2026, 3, 1), evidence=fake)
    exe = SimpleUploadedFile("virus.exe", b"MZ....", content_type="application/octet-stream")
    with pytest.raises(services.OutputError, match="not an accepted file type"):
        services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                      date=dt.date(2026, 3, 1), evidence=exe)


def _post_form(client, unit, **data):
    base = {"serves": "", "date": "10/03/2026", "title": "", "quantity": "1", "channel": "", "language": "vi",
            "people_reached": "", "cost": "", "link": ""}
    base.update(data)
    return client.post(reverse("outputs:create", args=[unit.code]), base)


def test_officer_records_through_the_form(client, org_tree, cascade):
    from cchc.outputs.models import OutputType

    client.force_login(org_tree.officer_a)
    page = client.get(reverse("outputs:create", args=[org_tree.commune_a.code]) + f"?target={cascade.news_target.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    # The province's target is offered as its copy in the commune's own plan, with the type it counts.
    copy = cascade.child.tasks.get(parent_task=cascade.news).targets.get()
    assert f'value="g:{copy.pk}" selected data-suggest="portal_article"' in html
    portal = OutputType.objects.get(code="portal_article")
    assert f'value="{portal.pk}" selected data-code="portal_article"' in html
    response = _post_form(client, org_tree.commune_a, serves=f"g:{copy.pk}", output_type=portal.pk,
                          title="Hướng dẫn nộp hồ sơ trực tuyến", link="cchc.tuyenquang.gov.vn/tin/1", quantity="2")
    assert response.status_code == 302
    record = OutputRecord.objects.get()
    assert record.target == copy and record.task == copy.task and record.date == dt.date(2026, 3, 10)
    assert record.link == "https://cchc.tuyenquang.gov.vn/tin/1"
    listing = client.get(reverse("outputs:unit", args=[org_tree.commune_a.code]), {"q": "ho so truc tuyen"})
    assert "Hướng dẫn nộp hồ sơ trực tuyến" in listing.content.decode()
    assert "Hướng dẫn" not in client.get(reverse("outputs:unit", args=[org_tree.commune_a.code]), {"q": "hoi nghi"}).content.decode()


def test_bad_date_in_the_form_is_explained(client, org_tree):
    from cchc.outputs.models import OutputType

    client.force_login(org_tree.officer_a)
    response = _post_form(client, org_tree.commune_a, output_type=OutputType.objects.get(code="leaflet").pk,
                          date="31/02/2026")
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    assert not OutputRecord.objects.exists()


def test_forbidden_unit_answers_404_like_a_missing_one(client, org_tree):
    record = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                           date=dt.date(2026, 3, 1), quantity=500)
    client.force_login(org_tree.officer_b)
    for url in (reverse("outputs:detail", args=[record.pk]), reverse("outputs:edit", args=[record.pk]),
                reverse("outputs:detail", args=[record.pk + 999]), reverse("outputs:unit", args=[org_tree.commune_a.code]),
                reverse("outputs:create", args=[org_tree.commune_a.code]),
                reverse("outputs:template", args=[org_tree.commune_a.code])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("outputs:delete", args=[record.pk])).status_code == 404
    assert OutputRecord.objects.filter(pk=record.pk).exists()


def test_supervisor_and_viewer_read_but_do_not_record(client, org_tree):
    record = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                           date=dt.date(2026, 3, 1), quantity=500, title="Tờ gấp dịch vụ công")
    for user in (org_tree.supervisor, org_tree.viewer):
        client.force_login(user)
        assert client.get(reverse("outputs:detail", args=[record.pk])).status_code == 200
        assert client.get(reverse("outputs:create", args=[org_tree.commune_a.code])).status_code == 404
        assert client.get(reverse("outputs:edit", args=[record.pk])).status_code == 404
    client.force_login(org_tree.supervisor)
    listing = client.get(reverse("outputs:unit", args=[org_tree.province.code]), {"sub": "1"}).content.decode()
    assert "Tờ gấp dịch vụ công" in listing


def test_edit_and_delete_own_unit(client, org_tree):
    record = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                           date=dt.date(2026, 3, 1), quantity=500)
    client.force_login(org_tree.manager_a)
    data = {"serves": "", "output_type": record.output_type_id, "date": "02/03/2026", "title": "Tờ gấp",
            "quantity": "600", "channel": "", "language": "vi", "people_reached": "", "cost": "", "link": ""}
    assert client.post(reverse("outputs:edit", args=[record.pk]), data).status_code == 302
    record.refresh_from_db()
    assert record.quantity == 600 and record.date == dt.date(2026, 3, 2)
    assert client.post(reverse("outputs:delete", args=[record.pk])).status_code == 302
    assert not OutputRecord.objects.exists()
    assert AuditEvent.objects.filter(object_type="outputs.outputrecord", action="delete").count() == 1


def test_pages_render_for_the_officer(client, org_tree, cascade):
    rec = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="leaflet",
                                        date=dt.date(2026, 3, 1), quantity=500, title="Tờ gấp thủ tục")
    services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="conference",
                                  date=dt.date(2026, 4, 1), title="Hội nghị đối thoại", people_reached=70)
    client.force_login(org_tree.officer_a)
    home = client.get(reverse("outputs:home"))
    assert home.status_code == 302 and home["Location"] == reverse("outputs:unit", args=[org_tree.commune_a.code])
    assert client.get(reverse("outputs:import", args=[org_tree.commune_a.code])).status_code == 200
    listing = client.get(reverse("outputs:unit", args=[org_tree.commune_a.code]),
                         {"start": "01/03/2026", "end": "31/03/2026", "output_type": rec.output_type_id})
    html = listing.content.decode()
    assert "Tờ gấp thủ tục" in html and "Hội nghị đối thoại" not in html and "1 output recorded" in html
    assert 'href="/san-pham/"' in client.get("/").content.decode()  # the menu item


def test_record_on_a_copied_parent_task_stays_editable(client, org_tree, cascade):
    record = services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="training_class",
                                           date=dt.date(2026, 3, 1), target=cascade.classes, people_reached=10)
    client.force_login(org_tree.officer_a)
    data = {"serves": f"g:{cascade.classes.pk}", "output_type": record.output_type_id, "date": "01/03/2026",
            "title": "Lớp tập huấn", "quantity": "1", "channel": "", "language": "vi", "people_reached": "12", "cost": "",
            "link": ""}
    assert client.post(reverse("outputs:edit", args=[record.pk]), data).status_code == 302
    record.refresh_from_db()
    assert record.people_reached == 12 and record.target == cascade.classes
