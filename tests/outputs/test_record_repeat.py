"""Recording an output acts once per form, and a database too busy to take it loses nothing typed."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.outputs import services
from cchc.outputs.models import OutputRecord, OutputType

pytestmark = pytest.mark.django_db


def _form(**data) -> dict:
    base = {"serves": "", "date": "10/03/2026", "title": "Hội nghị tuyên truyền CCHC", "quantity": "1", "channel": "",
            "language": "vi", "people_reached": "45", "cost": "", "link": "",
            "output_type": OutputType.objects.get(code="leaflet").pk}
    return {**base, **data}


def test_the_same_form_posted_twice_records_one_output_and_answers_alike(client, org_tree):
    client.force_login(org_tree.officer_a)
    url = reverse("outputs:create", args=[org_tree.commune_a.code])
    assert 'name="form_token"' in client.get(url).content.decode()
    data = _form(form_token="t" * 32)
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert OutputRecord.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="outputs.outputrecord", action="create").count() == 1
    # another form (a new token) records another output
    client.post(url, _form(form_token="u" * 32))
    assert OutputRecord.objects.count() == 2


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(client, org_tree):
    client.force_login(org_tree.officer_a)
    url = reverse("outputs:create", args=[org_tree.commune_a.code])
    assert client.post(url, _form(form_token="t" * 32, date="31/02/2026")).status_code == 200
    assert client.post(url, _form(form_token="t" * 32)).status_code == 302
    assert OutputRecord.objects.count() == 1


def _locked(**kwargs):
    try:
        raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as exc:
        raise OperationalError("database is locked") from exc


def test_a_busy_database_answers_503_in_vietnamese_with_what_was_typed(client, org_tree, monkeypatch, settings):
    monkeypatch.setattr(services, "output_record_create", _locked)
    client.force_login(org_tree.officer_a)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # the platform's own language
    url = reverse("outputs:create", args=[org_tree.commune_a.code])
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, {**_form(form_token="t" * 32, title="Tin bài <về> “CCHC”\nDòng hai"),
                                 "evidence": evidence})
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "Hệ thống đang bận" in page and "Thử lại" in page
    assert f'action="{url}"' in page and 'enctype="multipart/form-data"' in page
    # every field comes back as it was typed (escaped), the token too, so the retry still acts once
    assert 'name="title" value="Tin bài &lt;về&gt; “CCHC”\nDòng hai"' in page
    assert 'name="people_reached" value="45"' in page and f'name="form_token" value="{"t" * 32}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    # a file cannot come back: the page says so and asks for it again
    assert "chọn lại tệp" in page and 'type="file" name="evidence"' in page and "bien-ban.pdf" in page
    assert OutputRecord.objects.count() == 0

    # the retry, once the database is free, records the output
    monkeypatch.undo()
    assert client.post(url, _form(form_token="t" * 32)).status_code == 302
    assert OutputRecord.objects.count() == 1


def test_an_error_that_is_no_busy_database_stays_a_server_error(client, org_tree, monkeypatch):
    def broken(**kwargs):
        try:
            raise sqlite3.OperationalError("no such table: outputs_outputrecord")
        except sqlite3.OperationalError as exc:
            raise OperationalError(str(exc)) from exc

    monkeypatch.setattr(services, "output_record_create", broken)
    client.raise_request_exception = False
    client.force_login(org_tree.officer_a)
    response = client.post(reverse("outputs:create", args=[org_tree.commune_a.code]), _form())
    assert response.status_code == 500
