"""The public side of feedback: the form (messages in Vietnamese, honeypot, limits per address,
attachments refused before they are read, one petition per form), tracking with code and contact (an
unknown code and a wrong contact alike), the published answers (no personal data, consent respected,
search without accents), the hotlines and what the site's menu, home and sitemap get."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cchc.feedback import services
from cchc.feedback.models import Attachment, Item, Status
from cchc.portal.models import PublicContact, PublicSite
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db

BASE = "/cong/tuyen-quang/phan-anh-kien-nghi/"


@pytest.fixture
def site(org_tree):
    return PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="CCHC Tuyên Quang",
                                     hotline="0207 3822 555")


@pytest.fixture
def procedure(org_tree):
    return Procedure.objects.create(unit=org_tree.province, name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
                                    code="1.009994", field="Hoạt động xây dựng")


def _form(client, path=BASE + "gui/"):
    html = client.get(path).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _data(token, **extra):
    data = {"name": "Nguyễn Thị Dân", "phone": "0912 345 678", "email": "", "address": "Tổ 5, phường Hà Giang 1",
            "subject": "Thời hạn cấp giấy phép", "content": "Hồ sơ của tôi nộp đã 20 ngày chưa có kết quả.",
            "consent_data": "on", "consent_publish": "on", "form_token": token, "procedure_text": "", "unit": ""}
    data.update(extra)
    return data


def _png(name="anh.png", size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pdf(name="don.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


# ---------------------------------------------------------------- the form

def test_a_petition_about_a_procedure_gets_a_code_and_a_deadline(client, site, procedure, org_tree):
    token = _form(client)
    response = client.post(BASE + "gui/", _data(token, procedure_text="cap giay phep xay dung",
                                                unit=str(org_tree.dept.pk), attachments=[_pdf(), _png()]))
    assert response.status_code == 302
    item = Item.objects.get()
    assert item.procedure == procedure and item.concerned_unit == org_tree.dept
    assert item.receiving_unit == org_tree.province and item.consent_to_publish
    assert item.phone == "0912345678" and item.ip_address == "127.0.0.1"
    assert sorted(a.original_name for a in Attachment.objects.filter(item=item)) == ["anh.png", "don.pdf"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and item.code in html
    assert item.reply_due.strftime("%d/%m/%Y") in html and "14 ngày làm việc" in html
    assert "Nguyễn Thị Dân" not in html and "0912" not in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def test_the_procedure_is_found_by_its_code_or_chosen_among_several(client, site, procedure, org_tree):
    Procedure.objects.create(unit=org_tree.province, name="Cấp giấy phép xây dựng công trình", code="1.009995")
    token = _form(client)
    response = client.post(BASE + "gui/", _data(token, procedure_text="giay phep xay dung"))
    html = response.content.decode()
    assert response.status_code == 400 and "Có nhiều thủ tục phù hợp" in html
    assert html.count('type="radio" name="procedure"') == 2 and token in html
    response = client.post(BASE + "gui/", _data(token, procedure_text="giay phep xay dung",
                                                procedure=str(procedure.pk)))
    assert response.status_code == 400  # the words typed still say something else than the choice
    response = client.post(BASE + "gui/", _data(token, procedure_text=procedure.name, procedure=str(procedure.pk)))
    assert response.status_code == 302 and Item.objects.get().procedure == procedure
    response = client.post(BASE + "gui/", _data(_form(client), procedure_text="1.009995"))
    assert response.status_code == 302 and Item.objects.order_by("-pk")[0].procedure.code == "1.009995"
    response = client.post(BASE + "gui/", _data(_form(client), procedure_text="khai sinh"))
    assert response.status_code == 400 and "Không có thủ tục nào" in response.content.decode()


def test_a_procedure_page_link_fills_the_procedure(client, site, procedure):
    html = client.get(BASE + f"gui/?thu-tuc={procedure.pk}").content.decode()
    assert f'value="{procedure.name}"' in html and f'name="procedure" value="{procedure.pk}"' in html


def test_missing_fields_get_vietnamese_messages_and_keep_what_was_typed(client, site):
    token = _form(client)
    response = client.post(BASE + "gui/", _data(token, name="", phone="", email="", content="", consent_data=""))
    html = response.content.decode()
    assert response.status_code == 400
    for text in ("Hãy viết họ và tên của bạn.", "Hãy cho số điện thoại hoặc địa chỉ e-mail",
                 "Hãy viết nội dung phản ánh, kiến nghị.", "Hãy đánh dấu ô này"):
        assert text in html, text
    assert "Thời hạn cấp giấy phép" in html and 'aria-invalid="true"' in html
    response = client.post(BASE + "gui/", _data(token, phone="12ab", email="khong-phai-email"))
    html = response.content.decode()
    assert "Hãy viết số điện thoại bằng chữ số" in html and "không phải là địa chỉ thư điện tử" in html
    assert not Item.objects.exists()


def test_a_double_click_stores_one_petition(client, site):
    token = _form(client)
    first = client.post(BASE + "gui/", _data(token))
    again = client.post(BASE + "gui/", _data(token))
    assert first.status_code == again.status_code == 302
    assert Item.objects.count() == 1
    assert client.get(again["Location"]).content.decode().count(Item.objects.get().code) >= 1


def test_the_honeypot_stores_nothing(client, site):
    response = client.post(BASE + "gui/", _data(_form(client), website="http://spam.example"))
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    assert not Item.objects.exists()


def test_petitions_are_limited_per_address_per_minute_and_per_day(
        client, site, settings, django_capture_on_commit_callbacks):
    settings.CCHC_FEEDBACK_SUBMITS_PER_MINUTE, settings.CCHC_FEEDBACK_SUBMITS_PER_DAY = 2, 3

    def post(**extra):
        with django_capture_on_commit_callbacks(execute=True):  # a stored petition is counted on commit
            return client.post(BASE + "gui/", _data(_form(client)), **extra)

    assert post().status_code == 302
    assert client.post(BASE + "gui/", _data(_form(client), name="")).status_code == 400  # not stored: not counted
    assert post().status_code == 302
    response = post()
    assert response.status_code == 429 and "Có quá nhiều phản ánh" in response.content.decode()
    assert "Thời hạn cấp giấy phép" in response.content.decode()  # what was typed is kept
    assert Item.objects.count() == 2
    # another address is not held back; the day's limit holds when the minute is over
    assert post(REMOTE_ADDR="10.0.0.9").status_code == 302
    from django.core.cache import cache

    cache.delete_many([k.split(":", 2)[2] for k in list(cache._cache) if ":feedback:submit:m:" in k])  # a minute later
    assert post().status_code == 302
    assert post().status_code == 429 and Item.objects.count() == 4


def test_behind_the_trusted_proxy_the_limit_counts_the_client_address(
        client, site, settings, django_capture_on_commit_callbacks):
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    settings.CCHC_FEEDBACK_SUBMITS_PER_MINUTE = 1

    def post(address):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(BASE + "gui/", _data(_form(client)), HTTP_X_FORWARDED_FOR=address)

    for n in range(3):  # three citizens behind one proxy: each has its own count
        assert post(f"203.0.113.{n}").status_code == 302
    assert post("203.0.113.1").status_code == 429
    assert sorted(Item.objects.values_list("ip_address", flat=True)) == [f"203.0.113.{n}" for n in range(3)]


class _Unreadable(SimpleUploadedFile):
    """A file whose content must not be read: its name and declared size are enough to refuse it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the content of a refused file was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("the content of a refused file was read")


@pytest.mark.parametrize("upload, message", [
    (lambda: _Unreadable("virus.exe", b"MZ" + b"\0" * 100), "không thuộc loại tệp được chấp nhận"),
    (lambda: _Unreadable("ho-so.zip", b"PK\x03\x04"), "không thuộc loại tệp được chấp nhận"),
])
def test_attachments_of_other_types_are_refused_before_reading(site, upload, message):
    from cchc.feedback.public_forms import IntakeForm

    form = IntakeForm(_data("t" * 32), files_list=[upload()])
    assert not form.is_valid()
    assert message in " ".join(form.non_field_errors())


def test_an_oversized_attachment_is_refused_from_its_declared_size(site, settings):
    from cchc.feedback.public_forms import IntakeForm

    settings.CCHC_FEEDBACK_MAX_FILE_BYTES = 1024 * 1024
    big = _Unreadable("scan.pdf", b"%PDF-")
    big.size = 5 * 1024 * 1024  # what the request declared; not a byte of it is read
    form = IntakeForm(_data("t" * 32), files_list=[big])
    assert not form.is_valid()
    assert form.non_field_errors() == ["“scan.pdf” có dung lượng 5.0 MB; mỗi tệp tối đa 1 MB."]


def test_too_many_attachments_and_disguised_files_are_refused(client, site):
    token = _form(client)
    response = client.post(BASE + "gui/", _data(token, attachments=[_pdf(f"{i}.pdf") for i in range(6)]))
    assert response.status_code == 400 and "Chỉ đính kèm tối đa 5 tệp." in response.content.decode()
    fake = SimpleUploadedFile("anh.jpg", b"this is no picture at all" * 10)
    response = client.post(BASE + "gui/", _data(token, attachments=[fake]))
    assert response.status_code == 400 and "anh.jpg" in response.content.decode()
    assert not Item.objects.exists() and not Attachment.objects.exists()


def test_the_form_is_never_served_from_the_page_cache(client, site):
    first, second = client.get(BASE + "gui/"), client.get(BASE + "gui/")
    tokens = [re.search(r'name="form_token" value="([^"]+)"', r.content.decode()).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert not getattr(second, "public_shareable", False)


def test_a_database_that_cannot_be_reached_stores_nothing_and_offers_to_try_again(client, site, monkeypatch):
    from django.db import OperationalError

    import psycopg

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly") from psycopg.OperationalError("gone")

    monkeypatch.setattr(services, "feedback_submit", unreachable)
    response = client.post(BASE + "gui/", _data(_form(client), attachments=[_pdf()]))
    html = response.content.decode()
    assert response.status_code == 503 and "Thử lại" in html
    assert "Hồ sơ của tôi nộp đã 20 ngày chưa có kết quả." in html  # what was typed, ready to send again
    assert "don.pdf" in html  # the file is named, to be chosen again
    assert not Item.objects.exists()


# ---------------------------------------------------------------- tracking

@pytest.fixture
def sent(org_tree, site):
    return services.feedback_submit(site_unit=org_tree.province, name="Nguyễn Thị Dân", phone="0912 345 678",
                                    email="dan@example.vn", address="", subject="Giấy phép",
                                    content="Hồ sơ chậm trả kết quả.", consent_to_publish=True)


def _track(client, code, contact, **extra):
    return client.post(BASE + "tra-cuu/", {"code": code, "contact": contact}, **extra)


def test_the_sender_follows_the_petition_with_code_and_contact(client, sent):
    for contact in ("+84 912 345 678", "0912345678", "DAN@example.vn"):
        response = _track(client, sent.code.lower(), contact)
        html = response.content.decode()
        assert response.status_code == 200, contact
        assert sent.code in html and "Tỉnh Tuyên Quang" in html and sent.received_on.strftime("%d/%m/%Y") in html
        assert "Nguyễn Thị Dân" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_a_wrong_contact_and_an_unknown_code_get_the_same_answer(client, sent):
    wrong = _track(client, sent.code, "0987654321")
    unknown = _track(client, "ABCDEFGHJK", "0912345678")
    assert wrong.status_code == unknown.status_code == 404

    def body(r):
        return re.sub(r'value="[^"]*"', "", r.content.decode().split('id="main"')[1])

    assert body(wrong) == body(unknown)
    assert "Không tìm thấy phản ánh nào" in body(wrong)


def test_lookups_are_limited_per_address(client, sent, settings):
    settings.CCHC_FEEDBACK_LOOKUPS_PER_MINUTE = 3
    for n in range(3):
        assert _track(client, f"ABCDEFGH{n}K", "0912345678").status_code == 404
    response = _track(client, sent.code, "0912345678")  # even the right pair waits now
    assert response.status_code == 429 and sent.code not in response.content.decode().split("<form")[0][-200:]
    assert "Có quá nhiều lượt tra cứu" in response.content.decode()


def _answered(item, org_tree, *, publish=True, public_question="Hồ sơ cấp giấy phép xây dựng chậm trả kết quả?"):
    user = org_tree.supervisor
    services.item_classify(item=item, user=user, in_scope=True, field="Hoạt động xây dựng")
    services.answer_draft(item=item, user=user, text="Kính gửi bà Dân, hồ sơ của bà đã được giải quyết.")
    services.answer_approve(item=item, user=user, public_title="Thời hạn cấp giấy phép xây dựng",
                            public_question=public_question,
                            public_text="Hồ sơ đã được giải quyết đúng quy định về đất đai và xây dựng.")
    services.answer_send(item=item, user=user)
    if publish:
        services.item_publish(item=item, user=user)
    item.refresh_from_db()
    return item


def test_the_answer_shows_on_the_tracking_page_once_sent(client, sent, org_tree):
    html = _track(client, sent.code, "dan@example.vn").content.decode()
    assert "Câu trả lời chưa có" in html
    _answered(sent, org_tree, publish=False)
    html = _track(client, sent.code, "dan@example.vn").content.decode()
    assert "hồ sơ của bà đã được giải quyết" in html and "Đã trả lời" in html


# ---------------------------------------------------------------- published answers

def test_published_answers_show_no_personal_data_and_search_without_accents(client, sent, org_tree):
    _answered(sent, org_tree)
    html = client.get(BASE).content.decode()
    assert "Thời hạn cấp giấy phép xây dựng" in html
    for private in ("Nguyễn Thị Dân", "0912", "dan@example.vn", "Hồ sơ chậm trả kết quả.", sent.code):
        assert private not in html
    detail = client.get(BASE + f"{sent.pk}/").content.decode()
    assert "Hồ sơ đã được giải quyết đúng quy định" in detail and "Kính gửi bà Dân" not in detail
    assert "Nguyễn Thị Dân" not in detail and "0912" not in detail
    assert "Thời hạn cấp giấy phép" in client.get(BASE, {"q": "DAT DAI"}).content.decode()
    assert "Thời hạn cấp giấy phép" in client.get(BASE, {"q": "giay phep xay dung"}).content.decode()
    assert "Thời hạn cấp giấy phép" not in client.get(BASE, {"q": "khai sinh"}).content.decode()
    assert "Thời hạn cấp giấy phép" in client.get(BASE, {"linh-vuc": "Hoạt động xây dựng"}).content.decode()
    assert "Thời hạn cấp giấy phép" not in client.get(BASE, {"linh-vuc": "Hộ tịch"}).content.decode()


def test_without_consent_nothing_is_published(client, org_tree, site):
    item = services.feedback_submit(site_unit=org_tree.province, name="Trần Văn B", phone="0987654321", email="",
                                    address="", subject="Riêng tư", content="Không muốn công khai nội dung này.",
                                    consent_to_publish=False)
    _answered(item, org_tree, publish=False)
    with pytest.raises(services.FeedbackError):
        services.item_publish(item=item, user=org_tree.supervisor)
    assert client.get(BASE + f"{item.pk}/").status_code == 404
    assert "Thời hạn cấp giấy phép" not in client.get(BASE).content.decode()


def test_a_commune_answer_shows_on_the_province_site_and_publishing_empties_the_cache(
        client, org_tree, site, django_capture_on_commit_callbacks):
    PublicSite.objects.create(unit=org_tree.commune_a, slug="ha-giang-1", title="CCHC phường Hà Giang 1")
    item = services.feedback_submit(site_unit=org_tree.commune_a, name="Lê C", phone="0911222333", email="",
                                    address="", subject="Chứng thực", content="Phí chứng thực bản sao là bao nhiêu?",
                                    consent_to_publish=True)
    assert "Thời hạn cấp giấy phép" not in client.get(BASE).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        _answered(item, org_tree)
    assert "Thời hạn cấp giấy phép" in client.get(BASE).content.decode()
    assert "Thời hạn cấp giấy phép" in client.get("/cong/ha-giang-1/phan-anh-kien-nghi/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_unpublish(item=item, user=org_tree.supervisor)
    assert "Thời hạn cấp giấy phép" not in client.get(BASE).content.decode()
    assert client.get(BASE + f"{item.pk}/").status_code == 404


def test_menu_home_block_and_sitemap(client, sent, org_tree):
    _answered(sent, org_tree)
    home = client.get("/cong/tuyen-quang/").content.decode()
    assert 'href="/cong/tuyen-quang/phan-anh-kien-nghi/"' in home and "Phản ánh, kiến nghị" in home
    assert "Thời hạn cấp giấy phép xây dựng" in home
    sitemap = client.get("/cong/tuyen-quang/sitemap.xml").content.decode()
    assert f"/cong/tuyen-quang/phan-anh-kien-nghi/{sent.pk}/" in sitemap
    assert "/cong/tuyen-quang/phan-anh-kien-nghi/gui/" in sitemap


def test_hotlines_list_the_site_and_the_units_below(client, site, org_tree):
    PublicContact.objects.create(site=site, name="Giám đốc Sở Nội vụ", position="Lãnh đạo", phone="0207 3822 001",
                                 email="giamdoc@tuyenquang.gov.vn", is_leader=True)
    below = PublicSite.objects.create(unit=org_tree.commune_b, slug="dong-van", title="CCHC xã Đồng Văn",
                                      hotline="0219 3856 111")
    PublicContact.objects.create(site=below, name="Chủ tịch UBND xã", phone="0912 000 111", is_leader=True)
    PublicSite.objects.create(unit=org_tree.commune_a, slug="ha-giang-1", title="Không có liên hệ")
    html = client.get(BASE + "duong-day-nong/").content.decode()
    assert "0207 3822 555" in html and "giamdoc@tuyenquang.gov.vn" in html
    assert "Xã Đồng Văn" in html and "0219 3856 111" in html and "0912 000 111" in html
    assert "Phường Hà Giang 1" not in html  # a site that publishes no contact is not listed


def test_a_place_is_taken_before_storing_and_given_back_when_nothing_is_stored(settings):
    """Parallel posts from one address each take a place at once (an atomic increment), so a burst cannot
    all pass before any is counted; a try that stored nothing gives its place back."""
    from cchc.feedback.public import submit_release, submit_reserve

    settings.CCHC_FEEDBACK_SUBMITS_PER_MINUTE, settings.CCHC_FEEDBACK_SUBMITS_PER_DAY = 2, 10
    assert submit_reserve("198.51.100.7") and submit_reserve("198.51.100.7")
    assert not submit_reserve("198.51.100.7")  # the third in the minute, before either is stored
    submit_release("198.51.100.7")  # one of them stored nothing
    assert submit_reserve("198.51.100.7")
    assert not submit_reserve("198.51.100.7")
