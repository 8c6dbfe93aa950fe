"""A file is attached with the report's own form: the text typed in the narrative and the line notes
is saved first (with the version check and the form token of "Save draft"), then the file is attached;
a refused file says why and loses nothing typed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.reports import services

NARRATIVE = {"results": "Đã đăng 5 tin bài về dịch vụ công trực tuyến.",
             "limitations": "Thiếu cán bộ chuyên trách.", "proposals": "Bổ sung kinh phí tuyên truyền."}


@pytest.fixture
def opened(world, q1, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    client.force_login(t.officer_a)
    return report


def _page_form(client, report) -> dict:
    """What the page's report form posts as it stands: the hidden version, token and form token."""
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    form = html[html.index('id="report-form"'):]
    form = form[:form.index("</form>")]
    assert 'enctype="multipart/form-data"' in html[html.rindex("<form", 0, html.index('id="report-form"')):html.index('id="report-form"')]
    assert 'name="file"' in form and 'value="attach"' in form  # the file goes with the text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return {k: fields[k] for k in ("version", "token", "form_token")}


def _post(client, report, *, file, action="attach", **extra):
    line = report.lines.first()
    data = {**_page_form(client, report), **NARRATIVE, f"note-{line.pk}": "Số liệu đến 10/3", "action": action, **extra}
    if file is not None:
        data["file"] = file
    return client.post(reverse("reports:detail", args=[report.pk]), data, follow=True)


def _saved(report):
    report.refresh_from_db()
    return ({name: getattr(report, name) for name in NARRATIVE}, report.lines.first().note)


def test_attaching_a_file_saves_the_typed_text_first(opened, client):
    report = opened
    version = report.version
    response = _post(client, report, file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 minh chung"))
    assert response.status_code == 200
    assert _saved(report) == (NARRATIVE, "Số liệu đến 10/3")
    assert report.version == version + 1
    assert list(report.attachments.values_list("original_name", flat=True)) == ["ke-hoach.pdf"]
    html = response.content.decode()
    assert "Đã lưu báo cáo và đính kèm tệp." in html
    assert NARRATIVE["limitations"] in html and 'value="Số liệu đến 10/3"' in html  # shown again, as saved


@pytest.mark.parametrize("name, content, why", [
    ("virus.exe", b"MZ....", "không thuộc loại tệp được chấp nhận"),
    ("trong.pdf", b"", "là tệp rỗng"),
])
def test_a_refused_file_says_why_and_keeps_the_text(opened, client, name, content, why):
    report = opened
    response = _post(client, report, file=SimpleUploadedFile(name, content))
    assert _saved(report) == (NARRATIVE, "Số liệu đến 10/3")
    assert not report.attachments.exists()
    html = response.content.decode()
    assert "Nội dung đã nhập đã được lưu, nhưng tệp chưa được đính kèm" in html and name in html
    assert why in html
    assert NARRATIVE["results"] in html


def test_a_file_over_the_limit_is_refused_after_the_text_is_saved(opened, client, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    report = opened
    response = _post(client, report, file=SimpleUploadedFile("lon.pdf", b"%PDF-1.4 " + b"x" * 4096))
    assert _saved(report) == (NARRATIVE, "Số liệu đến 10/3")
    assert not report.attachments.exists() and "lon.pdf" in response.content.decode()


def test_attach_without_a_file_saves_and_asks_for_one(opened, client):
    report = opened
    response = _post(client, report, file=None)
    assert _saved(report) == (NARRATIVE, "Số liệu đến 10/3")
    assert "Hãy chọn tệp để đính kèm." in response.content.decode()


def test_a_repeat_of_the_same_form_attaches_once(opened, client):
    report = opened
    data = {**_page_form(client, report), **NARRATIVE, "action": "attach"}
    url = reverse("reports:detail", args=[report.pk])
    for _ in range(2):  # a double click: the same form token
        data["file"] = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 minh chung")
        assert client.post(url, data).status_code == 302
    assert report.attachments.count() == 1


def test_a_conflict_keeps_the_text_on_the_page_and_attaches_nothing(opened, client, world):
    report = opened
    form = _page_form(client, report)
    services.report_update(report=report, user=world.tree.manager_a, version=report.version,
                           results="Nội dung của người khác", limitations="", proposals="")
    response = client.post(reverse("reports:detail", args=[report.pk]),
                           {**form, **NARRATIVE, "action": "attach",
                            "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 minh chung")})
    assert response.status_code == 409
    assert not report.attachments.exists()
    html = response.content.decode()
    assert NARRATIVE["results"] in html and "chọn lại tệp" in html


def test_the_old_attach_form_still_works(opened, client):
    report = opened
    response = client.post(reverse("reports:attach", args=[report.pk]),
                           {"file": SimpleUploadedFile("cu.pdf", b"%PDF-1.4 cu")}, follow=True)
    assert response.status_code == 200 and report.attachments.filter(original_name="cu.pdf").exists()
