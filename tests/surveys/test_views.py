"""Surveys' pages: who may do what (the refusal beside the allowance), the public form, the kiosk that
resets, the receipt's QR code, the inert export, the published results."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.surveys import services
from cchc.surveys.models import Question, Response, Survey

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _post_data(survey, raw, **extra):
    data = {f"q{pk}": values for pk, values in raw.items()}
    data.update({"form_token": "t" * 24, **extra})
    return data


def test_builder_is_for_the_units_officers(client, tree, output_catalogue):
    client.force_login(tree.officer_b)  # another commune
    response = client.post(reverse("surveys:list"), {"unit": tree.commune_a.pk, "from_template": "on",
                                                      "opens_at": "01/12/2026 08:00", "closes_at": "31/12/2026 17:00",
                                                      "limit": "device"})
    assert response.status_code == 200 and not Survey.objects.exists()  # commune A is not offered to her
    client.force_login(tree.officer_a)
    response = client.post(reverse("surveys:list"), {"unit": tree.commune_a.pk, "from_template": "on",
                                                      "opens_at": "01/12/2026 08:00", "closes_at": "31/12/2026 17:00",
                                                      "limit": "device"})
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.sections.count() == 7
    assert survey.opens_at.isoformat().startswith("2026-12-01T01:00")  # 08:00 in Asia/Ho_Chi_Minh
    client.force_login(tree.officer_b)
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    client.force_login(tree.viewer)
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 200
    assert client.post(reverse("surveys:open", args=[survey.pk])).status_code == 404
    client.force_login(tree.officer_a)
    assert client.post(reverse("surveys:open", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"


def test_publishing_results_is_the_managers(client, tree, survey, site):
    services.response_submit(survey=survey, raw=full_answers(survey), form_token="a" * 24)
    client.force_login(tree.officer_a)
    assert client.post(reverse("surveys:publish", args=[survey.pk])).status_code == 404
    url = f"/cong/{site.slug}/khao-sat/{survey.pk}/ket-qua/"
    assert client.get(url).status_code == 404
    client.force_login(tree.manager_a)
    assert client.post(reverse("surveys:publish", args=[survey.pk]), {"form_token": "p" * 24}).status_code == 302
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="sv-index">100,0<' in html and "SIPAS" in html


def test_a_citizen_answers_once_from_a_device(client, survey, site):
    url = f"/cong/{site.slug}/khao-sat/{survey.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "no-cache" in page.get("Cache-Control", "") or "max-age=0" in page.get("Cache-Control", "")
    assert "cchc_khao_sat" in page.cookies
    raw = full_answers(survey)
    missing = dict(raw)
    missing.pop(next(iter(missing)))
    refused = client.post(url, _post_data(survey, missing))
    assert refused.status_code == 400 and "sv-errors" in refused.content.decode()
    done = client.post(url, _post_data(survey, raw, form_token="u" * 24))
    assert done.status_code == 302 and done["Location"].endswith("/cam-on/")
    again = client.get(url)
    assert 'id="sv-already"' in again.content.decode()
    assert Response.objects.count() == 1


def test_answers_from_one_address_are_bounded_but_not_at_the_kiosk(survey, site, settings):
    """The one-per-device rule rests on a cookie a script need not keep: answers sent from one address are
    counted too (the third in the hour is refused), except at the counter's kiosk."""
    from django.test import Client

    settings.CCHC_SURVEY_ANSWERS_PER_HOUR = 2
    url = f"/cong/{site.slug}/khao-sat/{survey.pk}/"
    for n in range(2):  # each a fresh client: no device cookie kept
        response = Client(REMOTE_ADDR="203.0.113.9").post(url, _post_data(survey, full_answers(survey), form_token=f"{n}" * 24))
        assert response.status_code == 302
    refused = Client(REMOTE_ADDR="203.0.113.9").post(url, _post_data(survey, full_answers(survey), form_token="9" * 24))
    assert refused.status_code == 429 and "quá nhiều câu trả lời" in refused.content.decode()
    assert Response.objects.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.10").post(url, _post_data(survey, full_answers(survey), form_token="8" * 24))
    assert other.status_code == 302 and Response.objects.count() == 3
    kiosk = f"/cong/{site.slug}/khao-sat/{survey.pk}/kiosk/{survey.kiosk_token}/"
    for n in range(3):
        response = Client(REMOTE_ADDR="203.0.113.9").post(kiosk, _post_data(survey, full_answers(survey), form_token=f"k{n}" * 12))
        assert response.status_code == 302
    assert Response.objects.count() == 6


def test_the_kiosk_resets_after_each_answer(client, survey, site):
    url = f"/cong/{site.slug}/khao-sat/{survey.pk}/kiosk/{survey.kiosk_token}/"
    assert client.get(f"/cong/{site.slug}/khao-sat/{survey.pk}/kiosk/sai-ma-bi-mat-1234567/").status_code == 404
    for n in range(2):
        response = client.post(url, _post_data(survey, full_answers(survey), form_token=f"{n}" * 24))
        assert response.status_code == 302 and response["Location"] == f"{url}cam-on/"
        thanks = client.get(response["Location"]).content.decode()
        assert f'content="8;url={url}"' in thanks and 'href="' + url + '"' in thanks
        fresh = client.get(url).content.decode()
        assert "checked" not in fresh and "sv-already" not in fresh
    assert Response.objects.filter(channel="kiosk", unit=survey.unit).count() == 2


def test_the_receipt_slip_has_a_qr_code_and_the_code_answers_once(client, tree, survey, site):
    client.force_login(tree.officer_a)
    response = client.post(reverse("surveys:receipt_issue", args=[survey.pk]), {"form_token": "r" * 24})
    slip = client.get(response["Location"]).content.decode()
    code = re.search(r'id="receipt-code">(\w+)<', slip).group(1)
    assert "<svg" in slip and f"/cong/{site.slug}/khao-sat/ma/{code}/" in slip
    client.logout()
    url = f"/cong/{site.slug}/khao-sat/ma/{code}/"
    assert client.post(url, _post_data(survey, full_answers(survey))).status_code == 302
    client.cookies.clear()  # another phone, same receipt
    page = client.get(url).content.decode()
    assert 'id="sv-already"' in page
    assert client.get(f"/cong/{site.slug}/khao-sat/ma/KHONGCO9/").status_code == 404


def test_export_is_inert(client, tree, survey):
    survey.title = '=HYPERLINK("http://x.example","bấm")'
    survey.save()
    q = Question.objects.filter(section__survey=survey, kind="single").first()
    services.response_submit(survey=survey, raw=full_answers(survey), form_token="e" * 24)
    client.force_login(tree.viewer)
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cell = wb["Chỉ số hài lòng"]["A1"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    rows = list(wb["Chỉ số hài lòng"].iter_rows(values_only=True))
    assert ("Chỉ số hài lòng (SIPAS)", None, None, 100.0) in rows
    assert any(r[1] == q.text for r in wb["Từng câu hỏi"].iter_rows(values_only=True))


def test_sample_size_page(client, tree):
    client.force_login(tree.officer_a)
    page = client.get(reverse("surveys:sample_size"), {"population": "1000", "margin": "0,05"})
    html = page.content.decode()
    assert 'id="sample-n">286<' in html
    bad = client.get(reverse("surveys:sample_size"), {"population": "-3", "margin": "0.05"})
    assert bad.status_code == 200 and "sample-n" not in bad.content.decode()
