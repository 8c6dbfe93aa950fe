"""The clip contests' pages: the public form, the entry page with its player and vote form, the
confirmation, the results; the staff pages with the refusal beside the allowance."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.clips import services
from cchc.clips.models import Entry, Vote
from cchc.outputs.models import OutputRecord
from tests.clips.helpers import YOUTUBE, make_contest, make_entry, make_site
from tests.clips.test_video import MP4

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(org_tree, output_catalogue):
    make_site(org_tree)
    return make_contest(org_tree)


def _form(**extra):
    data = {"form_token": "f" * 24, "author_name": "Nguyễn Thị Hoa", "contact": "hoa@example.vn",
            "organisation": "Xã Đồng Văn", "title": "Một cửa thân thiện", "description": "", "video_link": YOUTUBE,
            "consent": "on"}
    data.update(extra)
    return data


def test_a_citizen_sends_an_entry_with_a_link_once_and_its_page_is_not_cached(client, contest):
    url = f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/gui/"
    page = client.get(url)
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    for _ in range(2):  # a double click
        response = client.post(url, _form())
        assert response.status_code == 302 and response["Location"].endswith("/da-gui/")
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.PENDING and entry.source == "youtube" and entry.ip_address
    assert client.get(f"/cong/tuyen-quang/cuoc-thi-video/tac-pham/{entry.pk}/").status_code == 404  # not yet accepted


def test_wrong_entries_get_vietnamese_messages_and_keep_what_was_typed(client, contest):
    url = f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/gui/"
    response = client.post(url, _form(video_link="http://vimeo.com/123"))
    assert response.status_code == 400 and "https://" in response.content.decode()
    assert "Một cửa thân thiện" in response.content.decode()
    response = client.post(url, _form(video_link="", consent=""))
    assert response.status_code == 400 and "đồng ý với thể lệ" in response.content.decode()
    fake = SimpleUploadedFile("clip.mp4", b"MZ\x90\x00" + b"\x00" * 200, content_type="video/mp4")
    response = client.post(url, {**_form(video_link=""), "video_file": fake})
    assert response.status_code == 400 and "không phải video" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_video_file_is_stored_under_a_name_of_ours_and_shown_once_accepted(client, contest, org_tree, settings,
                                                                             tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/gui/"
    clip = SimpleUploadedFile("../../Clip của tôi.mp4", MP4, content_type="video/mp4")
    assert client.post(url, {**_form(video_link=""), "video_file": clip}).status_code == 302
    entry = Entry.objects.get()
    assert entry.source == "file" and entry.video_file.name.startswith("clips/videos/")
    assert "tôi" not in entry.video_file.name and entry.video_file.name.endswith(".mp4")
    media = f"/media/{entry.video_file.name}"
    assert client.get(media).status_code == 404  # not public before it is accepted
    services.entry_moderate(entry=entry, user=org_tree.supervisor, accept=True)
    assert client.get(media).status_code == 200


def test_the_entry_page_frames_only_the_no_cookie_player_and_takes_votes(client, contest, org_tree):
    entry = make_entry(contest, accept_by=org_tree.supervisor)
    url = f"/cong/tuyen-quang/cuoc-thi-video/tac-pham/{entry.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in policy and "youtube.com " not in policy
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in page.content.decode()
    assert "frame-src" not in client.get(f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/")["Content-Security-Policy"]
    assert "0912" not in page.content.decode() and "example.vn" not in page.content.decode()  # the contact is never shown

    response = client.post(url, {"email": "lan@example.vn"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = mail.outbox[0].body.split("http://testserver")[1].split()[0]
    assert client.get(link).status_code == 200 and Vote.objects.get().status == Vote.Status.PENDING  # GET counts nothing
    assert "tính" in client.post(link).content.decode()
    assert Vote.objects.get().status == Vote.Status.COUNTED
    again = client.post(url, {"email": "lan@example.vn"})
    assert again.status_code == 400 and "đã bình chọn" in again.content.decode()
    assert "1 lượt bình chọn" in client.get(url).content.decode()


def test_vote_requests_are_limited_per_network_address(client, contest, org_tree, settings):
    settings.CCHC_CLIP_VOTE_REQUESTS_PER_HOUR = 2
    entry = make_entry(contest, accept_by=org_tree.supervisor)
    url = f"/cong/tuyen-quang/cuoc-thi-video/tac-pham/{entry.pk}/"
    codes = [client.post(url, {"email": f"n{n}@example.vn"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_the_public_results_follow_publication(client, contest, org_tree, django_capture_on_commit_callbacks):
    entry = make_entry(contest, accept_by=org_tree.supervisor)
    url = f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/"
    assert "results-table" not in client.get(url).content.decode()  # and the page is cached
    services.judging_close(contest=contest, user=org_tree.supervisor)
    with django_capture_on_commit_callbacks(execute=True):  # the site's cached pages are forgotten
        services.results_publish(contest=contest, user=org_tree.supervisor, now=contest.voting_close_at)
    page = client.get(url).content.decode()
    assert "results-table" in page and entry.title in page and "70% điểm ban giám khảo" in page


def test_staff_pages_refuse_others_and_allow_the_organiser(client, contest, org_tree):
    entry = make_entry(contest)
    moderate = f"/cuoc-thi-video/{contest.pk}/tac-pham/{entry.pk}/duyet/"
    client.force_login(org_tree.officer_b)
    assert client.get(f"/cuoc-thi-video/{contest.pk}/").status_code == 404  # not the unit's, not a judge
    client.force_login(org_tree.viewer)
    assert client.get(f"/cuoc-thi-video/{contest.pk}/").status_code == 200  # a viewer reads
    assert client.post(moderate, {"decision": "accept"}).status_code == 404  # but does not moderate
    assert Entry.objects.get().status == Entry.Status.PENDING
    client.force_login(org_tree.supervisor)
    page = client.get(f"/cuoc-thi-video/{contest.pk}/").content.decode()
    assert "hoa@example" not in page and "091…678" in page  # masked in the list
    assert client.post(moderate, {"decision": "accept"}).status_code == 302
    assert Entry.objects.get().status == Entry.Status.ACCEPTED
    assert OutputRecord.objects.filter(source="clips.entry", source_ref=str(entry.pk)).count() == 1


def test_a_judge_scores_on_the_entry_page_and_sees_only_their_own(client, contest, org_tree):
    entry = make_entry(contest, accept_by=org_tree.supervisor)
    content, technique = contest.criteria.all()
    client.force_login(org_tree.officer_a)  # on the panel (and an officer of a commune, not of the province)
    url = f"/cuoc-thi-video/{contest.pk}/tac-pham/{entry.pk}/"
    bad = client.post(url, {f"c{content.pk}": "12", f"c{technique.pk}": "8"})
    assert bad.status_code == 400 and "từ 0 đến 10" in bad.content.decode()
    assert client.post(url, {f"c{content.pk}": "9", f"c{technique.pk}": "8"}).status_code == 302
    page = client.get(f"/cuoc-thi-video/{contest.pk}/").content.decode()
    assert "86,00" in page and 'class="judges"' not in page  # 0.6·90 + 0.4·80 = 86, own score only
    client.force_login(org_tree.officer_b)  # not on the panel, not of the unit
    assert client.post(url, {f"c{content.pk}": "1", f"c{technique.pk}": "1"}).status_code == 404


def test_the_organiser_sets_up_a_contest_through_the_form(client, org_tree):
    client.force_login(org_tree.supervisor)
    data = {"unit": org_tree.province.code, "title": "Chung tay cải cách hành chính", "rules": "Thể lệ",
            "entries_open_at": "2026-03-01T08:00", "entries_close_at": "2026-03-31T17:00",
            "voting_open_at": "2026-04-01T08:00", "voting_close_at": "2026-03-15T17:00", "judges_weight": "70",
            "criteria": "Nội dung | 60\nKỹ thuật | 40", "judges": "xa.canbo", "is_public": "on"}
    wrong = client.post("/cuoc-thi-video/moi/", data)
    assert wrong.status_code == 400 and "Thời gian bình chọn phải kết thúc sau khi bắt đầu" in wrong.content.decode()
    data["voting_close_at"] = "2026-04-15T17:00"
    response = client.post("/cuoc-thi-video/moi/", data)
    assert response.status_code == 302


def test_the_home_page_shows_the_running_contest_and_entries_are_limited_per_address(client, contest, settings):
    home = client.get("/cong/tuyen-quang/").content.decode()
    assert f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/" in home and "Cuộc thi video clip" in home
    settings.CCHC_CLIP_ENTRIES_PER_HOUR = 1
    url = f"/cong/tuyen-quang/cuoc-thi-video/{contest.pk}/gui/"
    assert client.post(url, _form(form_token="a" * 24)).status_code == 302
    refused = client.post(url, _form(form_token="b" * 24))
    assert refused.status_code == 429 and "Một cửa thân thiện" in refused.content.decode()
    assert Entry.objects.count() == 1


def test_a_confirmation_link_counts_only_on_its_own_site(client, contest, org_tree):
    from cchc.portal.models import PublicSite

    PublicSite.objects.create(unit=org_tree.other_province, slug="dong-thap", title="Đồng Tháp")
    entry = make_entry(contest, accept_by=org_tree.supervisor)
    client.post(f"/cong/tuyen-quang/cuoc-thi-video/tac-pham/{entry.pk}/", {"email": "lan@example.vn"})
    token = mail.outbox[0].body.split("/binh-chon/")[1].split("/")[0]
    assert client.post(f"/cong/dong-thap/cuoc-thi-video/binh-chon/{token}/").status_code == 400
    assert Vote.objects.get().status == Vote.Status.PENDING
    assert client.post(f"/cong/tuyen-quang/cuoc-thi-video/binh-chon/{token}/").status_code == 200
    assert Vote.objects.get().status == Vote.Status.COUNTED
