"""The request body is capped before anything reads it, and the pages that read uploads refuse hostile
files with the reader's message, within the limits the settings give."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from cchc.core import uploads
from cchc.core.limits import RequestSizeLimitMiddleware
from cchc.outputs.models import OutputRecord
from cchc.plans.models import PlanImport
from tests import hostile_files as hostile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Unreadable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, size=-1):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the body was read")

    readline = read


def test_a_body_declared_over_the_limit_gets_413_in_vietnamese_before_it_is_read(settings):
    settings.CCHC_MAX_REQUEST_BYTES = 25 * 1024 * 1024
    request = RequestFactory().post("/ke-hoach/nhap/", data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(300 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    reached = []
    response = RequestSizeLimitMiddleware(lambda r: reached.append(r) or HttpResponse("ok"))(request)
    html = response.content.decode()
    assert response.status_code == 413 and not reached
    assert "Dữ liệu gửi lên lớn hơn 25 MB nên không được nhận" in html and "dưới 20 MB" in html


def test_the_whole_site_answers_413_first_even_without_a_csrf_token(client, settings):
    settings.CCHC_MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("accounts:login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert client.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code != 413


def test_a_body_without_length_is_capped_while_it_is_read(settings):
    settings.CCHC_MAX_REQUEST_BYTES = 1000
    request = RequestFactory().post("/", data=b"", content_type="application/octet-stream")
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(b"x" * 5000)
    read = []

    def view(request):
        stream = request.META["wsgi.input"]
        while chunk := stream.read(300):
            read.append(len(chunk))
        return HttpResponse("ok")

    with pytest.raises(Exception, match="larger than CCHC_MAX_REQUEST_BYTES"):
        RequestSizeLimitMiddleware(view)(request)
    assert sum(read) <= 1000

    def reading_view(request):
        try:
            request.META["wsgi.input"].read()
        except Exception:  # Django turns it into a 400 inside; the outer middleware makes it 413
            return HttpResponse(status=400)
        return HttpResponse("ok")

    request.META["wsgi.input"] = io.BytesIO(b"x" * 5000)
    assert RequestSizeLimitMiddleware(reading_view)(request).status_code == 413
    request.META["wsgi.input"] = io.BytesIO(b"x" * 500)
    assert RequestSizeLimitMiddleware(reading_view)(request).status_code == 200


def _import(client, org_tree, name, data):
    client.force_login(org_tree.supervisor)
    return client.post(reverse("plans:import"), {"owner": org_tree.province.pk, "file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("name, build, expected", [
    ("bom.docx", lambda: hostile.zip_bomb_docx(30 * 1024 * 1024), "compressed more than 200 times over"),
    ("cuoi.docx", hostile.billion_laughs_docx, "XML entity declarations"),
    ("sau.docx", lambda: hostile.deep_docx(5000), "nested too deeply"),
    ("dai.pdf", lambda: hostile.pdf(2, count=100_000), "has more than 300 pages"),
])
def test_plan_import_refuses_hostile_files_with_the_readers_message(client, org_tree, english, name, build,
                                                                     expected):
    started = time.monotonic()
    response = _import(client, org_tree, name, build())
    html = response.content.decode()
    assert response.status_code == 400 and expected in html and name in html
    assert time.monotonic() - started < 10
    assert PlanImport.objects.count() == 0


def test_the_settings_limits_reach_the_reader(client, org_tree, english, settings):
    data = hostile.text_docx(600_000)
    settings.CCHC_DOCUMENT_LIMITS = {"unzipped_bytes": 256 * 1024}
    html = _import(client, org_tree, "dai.docx", data).content.decode()
    assert "expands to more than 256 KB when opened" in html
    settings.CCHC_DOCUMENT_LIMITS = {"text_chars": 100_000}
    html = _import(client, org_tree, "dai.docx", data).content.decode()
    assert "more than 100.000 characters of text" in html
    settings.CCHC_DOCUMENT_LIMITS = {}
    response = _import(client, org_tree, "ke-hoach.docx", hostile.docx())
    assert response.status_code in (302, 400)  # read: a draft, or "no tasks" for this one-line plan
    assert "could not be read" not in response.content.decode()


def test_plan_import_message_is_vietnamese_for_a_vietnamese_user(client, org_tree):
    html = _import(client, org_tree, "dai.pdf", hostile.pdf(2, count=100_000)).content.decode()
    assert "dai.pdf có hơn 300 trang" in html and "hãy tách phần kế hoạch ra tệp riêng" in html


def test_outputs_import_refuses_a_sheet_reaching_the_last_cell(client, org_tree, english):
    client.force_login(org_tree.officer_a)
    url = reverse("outputs:import", args=[org_tree.commune_a.code])
    for data in (hostile.xlsx_last_cell(), hostile.xlsx_declared_range()):
        started = time.monotonic()
        response = client.post(url, {"file": SimpleUploadedFile("san-pham.xlsx", data)})
        html = response.content.decode()
        assert response.status_code == 400 and "XFD1048576" in html and "100.000 rows" in html
        assert time.monotonic() - started < 10
    assert OutputRecord.objects.count() == 0


def test_evidence_packages_are_refused_by_their_real_size(settings, english):
    bomb = SimpleUploadedFile("minh-chung.docx", hostile.zip_bomb_docx(60 * 1024 * 1024))
    with pytest.raises(uploads.UploadRefused, match="compressed more than 200 times over"):
        uploads.check_upload(bomb, allowed=uploads.EVIDENCE_TYPES)
    settings.CCHC_DOCUMENT_LIMITS = {"zip_members": 10}
    with pytest.raises(uploads.UploadRefused, match="more than 10 parts"):
        uploads.check_upload(SimpleUploadedFile("a.xlsx", hostile.many_parts_docx(20)), allowed=uploads.EVIDENCE_TYPES)
    fine = SimpleUploadedFile("minh-chung.docx", hostile.docx())
    assert uploads.check_upload(fine, allowed=uploads.EVIDENCE_TYPES) == ".docx" and fine.read(2) == b"PK"
