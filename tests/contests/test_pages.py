"""Contest pages: the organiser's (import, rounds, prizes, publication; who may do what) and the public
ones (start, answer, submit twice, a second attempt refused, limits per address, masked results)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from cchc.contests import services
from cchc.contests.models import Attempt, Contest, Question, Round
from cchc.portal.models import PublicSite
from tests.contests.helpers import bank_rows, xlsx

pytestmark = pytest.mark.django_db

BASE = "/cong/tuyen-quang/hoi-thi/"


@pytest.fixture
def site(org_tree):
    return PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="Cải cách hành chính Tuyên Quang")


@pytest.fixture
def contest(org_tree):
    contest = services.contest_create(user=org_tree.supervisor, unit=org_tree.province, title="Hội thi CCHC 2026")
    assert services.questions_import_xlsx(user=org_tree.supervisor, contest=contest, file=xlsx(bank_rows(50))).ok
    return contest


@pytest.fixture
def rnd(contest, org_tree):
    now = timezone.now()
    return services.round_create(user=org_tree.supervisor, contest=contest, title="Đợt 1",
                                 opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
                                 questions_per_attempt=5, time_limit_seconds=300)


def login(client, user, tree):
    client.force_login(user)


def token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


# ---------------------------------------------------------------- organiser

def test_an_officer_imports_the_bank_and_adds_a_round_a_viewer_may_not(client, org_tree):
    login(client, org_tree.supervisor, org_tree)
    page = client.get("/hoi-thi/moi/")
    response = client.post("/hoi-thi/moi/", {"unit": org_tree.province.pk, "title": "Hội thi tìm hiểu CCHC",
                                             "ask_phone": "on", "ask_citizen_id": "on", "retention_days": 90,
                                             "form_token": token(page.content.decode())})
    contest = Contest.objects.get()
    assert response.status_code == 302 and contest.retention_days == 90
    template = client.get("/hoi-thi/mau-ngan-hang-cau-hoi.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    response = client.post(f"/hoi-thi/{contest.pk}/nhap-cau-hoi/", {"file": xlsx(bank_rows(50))})
    assert response.status_code == 302 and contest.questions.count() == 50
    bad = bank_rows(3)
    bad[2][8] = "Z"
    response = client.post(f"/hoi-thi/{contest.pk}/nhap-cau-hoi/", {"file": xlsx(bad)})
    assert response.status_code == 400 and "Dòng 3" in response.content.decode()
    assert contest.questions.count() == 50
    response = client.post(f"/hoi-thi/{contest.pk}/dot-thi-moi/", {
        "title": "Đợt 1", "opens_at": "01/12/2026 08:00", "closes_at": "15/12/2026 17:00",
        "questions_per_attempt": 20, "time_limit_minutes": 15})
    rnd = Round.objects.get()
    assert response.status_code == 302 and timezone.localtime(rnd.opens_at).hour == 8
    assert rnd.time_limit_seconds == 900 and rnd.prediction_question.startswith("Dự đoán")
    assert client.get(f"/hoi-thi/dot-thi/{rnd.pk}/").status_code == 200

    client.logout()
    login(client, org_tree.viewer, org_tree)
    assert client.get(f"/hoi-thi/{contest.pk}/").status_code == 200
    assert client.post(f"/hoi-thi/{contest.pk}/nhap-cau-hoi/", {"file": xlsx(bank_rows(2))}).status_code == 404
    client.logout()
    login(client, org_tree.officer_b, org_tree)  # a commune's officer: not the province's contest
    assert client.get(f"/hoi-thi/{contest.pk}/").status_code == 404


# ---------------------------------------------------------------- participant

def start_form(client, rnd, **extra):
    page = client.get(f"{BASE}{rnd.pk}/")
    assert page.status_code == 200 and "no-store" in page.get("Cache-Control", "") or "max-age=0" in page.get(
        "Cache-Control", "")
    data = {"name": "Nguyễn Thị Lan", "phone": "0912 345 678", "citizen_id": "001234567890", "unit": "",
            "consent": "on", "form_token": token(page.content.decode())}
    data.update(extra)
    return data


def test_a_participant_starts_answers_submits_twice_and_is_refused_a_second_attempt(client, site, rnd, org_tree):
    data = start_form(client, rnd, unit=org_tree.commune_b.pk)
    response = client.post(f"{BASE}{rnd.pk}/", data)
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/hoi-thi/bai/{attempt.access_key}/")
    assert client.post(f"{BASE}{rnd.pk}/", data)["Location"] == response["Location"]  # the same form again
    assert Attempt.objects.count() == 1
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="ct-question"') == 5
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    answers = {f"q{pk}": [str(i) for i in questions[pk].correct] for pk in attempt.question_ids}
    answers[f"q{attempt.question_ids[0]}"] = ["3"]  # one wrong
    answers["prediction"] = "1.500"
    done = client.post(response["Location"], answers)
    assert done.status_code == 302 and done["Location"].endswith("/ket-qua/")
    again = client.post(response["Location"], {})  # submitted twice
    assert again["Location"] == done["Location"]
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score, attempt.prediction, attempt.status) == (4, 5, 1500, "submitted")
    result = client.get(done["Location"]).content.decode()
    assert 'id="score">4<' in result and "Nguyễn T. L." in result
    # while the round runs, the key stays hidden (a throw-away attempt would give it to everyone) ...
    assert 'id="key-later"' in result and "Giải thích câu" not in result and "(đáp án đúng)" not in result

    second = start_form(client, rnd, unit=org_tree.commune_a.pk, name="Lan Nguyễn", phone="0987654321")
    response = client.post(f"{BASE}{rnd.pk}/", second)
    assert response.status_code == 409 and "chỉ được dự thi một lần" in response.content.decode()
    assert Attempt.objects.count() == 1
    # the key is shown once the round has closed
    type(rnd).objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    result = client.get(done["Location"]).content.decode()
    assert "Giải thích câu" in result and 'id="key-later"' not in result


def test_the_start_form_explains_each_problem_in_vietnamese(client, site, rnd):
    response = client.post(f"{BASE}{rnd.pk}/", start_form(client, rnd, citizen_id="123", name="", consent=""))
    html = response.content.decode()
    assert response.status_code == 400
    for text in ("họ tên", "12 chữ số", "Chọn xã, phường", "Đánh dấu đồng ý"):
        assert text in html, text
    assert not Attempt.objects.exists()


def test_starts_from_one_address_are_limited(client, site, rnd, org_tree, settings):
    settings.CCHC_CONTEST_STARTS_PER_MINUTE = 2
    codes = []
    for i in range(3):
        data = start_form(client, rnd, unit=org_tree.commune_a.pk, citizen_id=f"00000000000{i}")
        codes.append(client.post(f"{BASE}{rnd.pk}/", data).status_code)
    assert codes == [302, 302, 429] and Attempt.objects.count() == 2


def test_unknown_attempt_and_round_are_not_found(client, site, rnd):
    assert client.get(f"{BASE}bai/{'x' * 32}/").status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404
    assert client.get(f"{BASE}{rnd.pk}/ket-qua/").status_code == 404  # not published


def test_published_results_show_masked_names_phones_and_units(client, site, rnd, org_tree, output_catalogue):
    people = [("Trần Văn An", org_tree.commune_a, "000000000001"), ("Lê Thị Bình", org_tree.commune_a, "000000000002"),
              ("Phạm Minh Châu", org_tree.commune_b, "000000000003")]
    for name, unit, cccd in people:
        a = services.attempt_start(round=rnd, name=name, phone="0912345678", citizen_id=cccd, unit=unit)
        questions = {q.pk: q for q in Question.objects.filter(pk__in=a.question_ids)}
        services.attempt_submit(attempt=a, answers={str(pk): questions[pk].correct for pk in a.question_ids},
                                prediction=3, now=a.started_at + dt.timedelta(seconds=30 + len(name)))
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1),
                                           opens_at=timezone.now() - dt.timedelta(days=1))
    rnd.refresh_from_db()
    services.prizes_set(user=org_tree.supervisor, round=rnd, counts=[("Giải Nhất", 1)])
    login(client, org_tree.supervisor, org_tree)
    client.post(f"/hoi-thi/dot-thi/{rnd.pk}/trao-giai/")
    client.post(f"/hoi-thi/dot-thi/{rnd.pk}/cong-bo/")
    client.logout()
    html = client.get(f"{BASE}{rnd.pk}/ket-qua/").content.decode()
    assert "Trần V. A." in html and "Trần Văn An" not in html and "091****678" in html and "0912345678" not in html
    winners = html.split('id="winners"')[1].split("</table>")[0]
    assert "Giải Nhất" in winners and "Trần V. A." in winners  # the shortest time
    units = html.split('id="participation"')[1].split("</table>")[0]
    assert units.index("Phường Hà Giang 1") < units.index("Xã Đồng Văn")
    assert client.get(BASE).status_code == 200


def test_the_round_page_reads_in_fixed_queries(client, site, rnd, org_tree):
    """The organiser's round page (ranking, participation per unit) asks the same number of queries
    for 3 and for 30 participants."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = [org_tree.commune_a, org_tree.commune_b, org_tree.dept]

    def add(start, n):
        for i in range(start, start + n):
            a = services.attempt_start(round=rnd, name=f"Người {i}", phone="0912345678", citizen_id=f"{i:012d}",
                                       unit=units[i % 3])
            services.attempt_submit(attempt=a, answers={}, prediction=i)

    client.force_login(org_tree.supervisor)
    counts = []
    for start, n in ((0, 3), (3, 27)):
        add(start, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/hoi-thi/dot-thi/{rnd.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
