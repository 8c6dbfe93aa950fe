"""Knowledge contests: the question bank import, rounds, one attempt per person, server-side timing,
scoring and tie-breaks, winners, publication (with the outputs it counts), masking and erasure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from cchc.contests import selectors, services
from cchc.contests.models import Attempt, Question
from cchc.core.models import AuditEvent
from cchc.outputs.models import OutputRecord
from cchc.portal.models import PublicSite
from tests.contests.helpers import bank_rows, xlsx

pytestmark = pytest.mark.django_db

CCCD = "001234567890"


@pytest.fixture
def site(org_tree):
    return PublicSite.objects.create(unit=org_tree.province, slug="tuyen-quang", title="Cải cách hành chính Tuyên Quang")


@pytest.fixture
def contest(org_tree):
    contest = services.contest_create(user=org_tree.supervisor, unit=org_tree.province,
                                      title="Hội thi tìm hiểu về cải cách hành chính năm 2026")
    result = services.questions_import_xlsx(user=org_tree.supervisor, contest=contest, file=xlsx(bank_rows(50)))
    assert result.ok, result.errors
    return contest


@pytest.fixture
def open_round(contest, org_tree):
    now = timezone.now()
    return services.round_create(user=org_tree.supervisor, contest=contest, title="Đợt 1",
                                 opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=7),
                                 questions_per_attempt=10, time_limit_seconds=600)


def start(rnd, unit, *, cccd=CCCD, phone="0912345678", name="Nguyễn Thị Lan", now=None, token=None):
    return services.attempt_start(round=rnd, name=name, phone=phone, citizen_id=cccd, unit=unit, start_token=token,
                                  now=now)


def right_answers(attempt, wrong: int = 0) -> dict:
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    answers = {}
    for i, pk in enumerate(attempt.question_ids):
        correct = list(questions[pk].correct)
        answers[str(pk)] = [3] if i < wrong else correct
    return answers


# ---------------------------------------------------------------- the question bank

def test_fifty_questions_are_imported_with_their_options_answers_and_explanations(contest):
    questions = list(contest.questions.order_by("number"))
    assert len(questions) == 50
    first, fifth = questions[0], questions[4]
    assert first.options[1].startswith("Phương án thứ hai") and first.correct == [1]
    assert fifth.correct == [0, 2] and fifth.explanation.startswith("Giải thích câu 5")
    assert AuditEvent.objects.filter(object_type="contests.question", message__contains="50 questions").exists()


def test_a_bank_with_a_bad_row_imports_nothing_and_says_which_row_and_why(contest, org_tree):
    rows = bank_rows(5)
    rows[2][8] = "G"            # row 3: a letter that is no option
    rows[3][3] = None           # row 4: B empty while C is filled
    rows[4][2:8] = ["Chỉ một", None, None, None, None, None]  # row 5: one option
    rows[5][1] = ""             # row 6: no question
    with override("vi"):
        result = services.questions_import_xlsx(user=org_tree.supervisor, contest=contest, file=xlsx(rows))
    assert not result.ok and result.created == 0
    messages = {e.row: e.message for e in result.errors}
    assert set(messages) == {3, 4, 5, 6}
    assert messages[3].startswith("Dòng 3") and "G" in messages[3]
    assert "B" in messages[4]
    assert "2" in messages[5]
    assert contest.questions.count() == 50  # nothing added


def test_the_downloadable_template_imports_back_and_is_inert(contest, org_tree):
    from openpyxl import load_workbook

    data = services.bank_template_xlsx()
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.active[1]] == list(services.HEADERS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.questions_import_xlsx(user=org_tree.supervisor, contest=contest,
                                            file=SimpleUploadedFile("mau.xlsx", data))
    assert result.ok and result.created == 2
    assert contest.questions.order_by("-number").first().correct == [0, 1, 2]


def test_a_file_that_is_not_a_workbook_is_refused_in_vietnamese(contest, org_tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with override("vi"), pytest.raises(services.ContestError) as exc:
        services.questions_import_xlsx(user=org_tree.supervisor, contest=contest,
                                       file=SimpleUploadedFile("cau-hoi.xlsx", b"not a workbook"))
    assert "xlsx" in exc.value.message.lower() or "tệp" in exc.value.message.lower()


def test_a_round_cannot_draw_more_questions_than_the_bank_has(contest, org_tree):
    now = timezone.now()
    with pytest.raises(services.ContestError):
        services.round_create(user=org_tree.supervisor, contest=contest, title="Đợt 2", opens_at=now,
                              closes_at=now + dt.timedelta(days=1), questions_per_attempt=51, time_limit_seconds=600)


# ---------------------------------------------------------------- attempts

def test_one_attempt_per_person_and_round_is_enforced_by_the_database(open_round, org_tree):
    first = start(open_round, org_tree.commune_a)
    assert len(first.question_ids) == 10 and len(set(first.question_ids)) == 10
    assert first.citizen_id_last == "7890" and CCCD not in first.person_key
    with pytest.raises(services.AlreadyTaken):
        start(open_round, org_tree.commune_b, cccd="0012 3456 7890", name="Người khác", phone="0987654321")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(round=open_round, person_key=first.person_key, access_key="x" * 32, unit=org_tree.commune_b,
                               name="X", started_at=timezone.now(), deadline_at=timezone.now() + dt.timedelta(minutes=1))
    other = start(open_round, org_tree.commune_a, cccd="001234567891")  # someone else
    assert other.pk != first.pk


def test_the_same_form_posted_twice_gives_the_same_attempt(open_round, org_tree):
    a = start(open_round, org_tree.commune_a, token="t" * 32)
    b = start(open_round, org_tree.commune_a, token="t" * 32)
    assert a.pk == b.pk and Attempt.objects.count() == 1


def test_the_person_key_is_keyed_per_contest(open_round, org_tree):
    other = services.contest_create(user=org_tree.supervisor, unit=org_tree.province, title="Hội thi khác")
    assert services.person_key(open_round.contest, "cccd:" + CCCD) != services.person_key(other, "cccd:" + CCCD)


def test_bad_identifiers_are_refused_with_a_message_per_field(open_round, org_tree):
    with pytest.raises(services.ContestError) as exc:
        start(open_round, org_tree.commune_a, cccd="12345", phone="12")
    assert set(exc.value.fields) == {"citizen_id", "phone"}


def test_a_round_not_open_refuses_to_start(open_round, org_tree):
    with pytest.raises(services.ContestError):
        start(open_round, org_tree.commune_a, now=open_round.closes_at + dt.timedelta(seconds=1))
    with pytest.raises(services.ContestError):
        start(open_round, org_tree.commune_a, now=open_round.opens_at - dt.timedelta(seconds=1))


def test_scoring_counts_exactly_right_answers_and_the_server_time(open_round, org_tree):
    attempt = start(open_round, org_tree.commune_a)
    at = attempt.started_at + dt.timedelta(seconds=95)
    done = services.attempt_submit(attempt=attempt, answers=right_answers(attempt, wrong=3), prediction=120, now=at)
    assert (done.status, done.score, done.max_score, done.duration_ms) == ("submitted", 7, 10, 95_000)
    again = services.attempt_submit(attempt=attempt, answers=right_answers(attempt), prediction=1, now=at)
    assert (again.score, again.prediction) == (7, 120)  # submitted twice: the first one stands


def test_a_multiple_answer_question_needs_all_its_correct_options(open_round, org_tree):
    q = open_round.contest.questions.get(number=5)
    assert services.score_answers({q.pk: q}, {str(q.pk): [0]}) == 0
    assert services.score_answers({q.pk: q}, {str(q.pk): [0, 2]}) == 1
    assert services.score_answers({q.pk: q}, {str(q.pk): [0, 1, 2]}) == 0


def test_answers_after_the_limit_and_its_grace_are_not_counted(open_round, org_tree, settings):
    settings.CCHC_CONTEST_GRACE_SECONDS = 10
    in_grace = start(open_round, org_tree.commune_a)
    done = services.attempt_submit(attempt=in_grace, answers=right_answers(in_grace), prediction=None,
                                   now=in_grace.deadline_at + dt.timedelta(seconds=5))
    assert done.score == 10 and done.duration_ms == 600_000  # scored as of the limit
    late = start(open_round, org_tree.commune_a, cccd="009999999999")
    done = services.attempt_submit(attempt=late, answers=right_answers(late), prediction=None,
                                   now=late.deadline_at + dt.timedelta(seconds=11))
    assert (done.status, done.score) == ("expired", 0)


# ---------------------------------------------------------------- ranking, winners, publication

def _finish(rnd, unit, cccd, *, wrong, seconds, prediction):
    attempt = start(rnd, unit, cccd=cccd, name=f"Người {cccd[-3:]}")
    return services.attempt_submit(attempt=attempt, answers=right_answers(attempt, wrong=wrong), prediction=prediction,
                                   now=attempt.started_at + dt.timedelta(seconds=seconds))


def test_the_ranking_breaks_ties_by_time_then_the_prediction(open_round, org_tree):
    a = _finish(open_round, org_tree.commune_a, "000000000001", wrong=0, seconds=200, prediction=10)
    b = _finish(open_round, org_tree.commune_a, "000000000002", wrong=0, seconds=100, prediction=10)
    c = _finish(open_round, org_tree.commune_b, "000000000003", wrong=1, seconds=50, prediction=5)
    d = _finish(open_round, org_tree.dept, "000000000004", wrong=0, seconds=100, prediction=5)  # 5 people: exact
    e = start(open_round, org_tree.commune_b, cccd="000000000005")  # started, never submitted
    ranked = list(selectors.ranking(open_round))
    assert [x.pk for x in ranked] == [d.pk, b.pk, a.pk, c.pk]
    assert e.pk not in [x.pk for x in ranked]
    rows = selectors.participation(open_round)
    assert [(r["unit"].name, r["count"]) for r in rows] == [
        ("Phường Hà Giang 1", 2), ("Xã Đồng Văn", 2), ("Sở Nội vụ", 1)]


def test_winners_are_assigned_down_the_ranking_and_published_with_outputs_once(open_round, org_tree, site,
                                                                               output_catalogue):
    for i in range(4):
        _finish(open_round, org_tree.commune_a if i % 2 else org_tree.commune_b, f"00000000001{i}", wrong=i,
                seconds=100, prediction=4)
    with pytest.raises(services.ContestError):  # still open
        services.winners_assign(user=org_tree.supervisor, round=open_round)
    services.prizes_set(user=org_tree.supervisor, round=open_round, counts=[("Giải Nhất", 1), ("Giải Nhì", 2)])
    after = open_round.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(services.ContestError):  # winners first
        services.results_publish(user=org_tree.supervisor, round=open_round, now=after)
    winners = services.winners_assign(user=org_tree.supervisor, round=open_round, now=after)
    assert [w.prize.name for w in winners] == ["Giải Nhất", "Giải Nhì", "Giải Nhì"]
    assert [w.score for w in winners] == [10, 9, 8]
    services.results_publish(user=org_tree.supervisor, round=open_round, now=after)
    services.results_publish(user=org_tree.supervisor, round=open_round, now=after)  # twice: counted once
    services.round_record_outputs(open_round)
    per_unit = OutputRecord.objects.filter(source=services.OUTPUT_SOURCE, output_type__code="contest_participation")
    assert sorted((r.unit.name, r.quantity, r.people_reached) for r in per_unit) == [
        ("Phường Hà Giang 1", 2, 2), ("Xã Đồng Văn", 2, 2)]
    held = OutputRecord.objects.get(source=services.OUTPUT_SOURCE, output_type__code="contest")
    assert (held.unit, held.quantity, held.people_reached) == (org_tree.province, 1, 4)


def test_personal_data_is_erased_after_the_retention_period(open_round, org_tree):
    attempt = _finish(open_round, org_tree.commune_a, "000000000021", wrong=0, seconds=60, prediction=1)
    contest = open_round.contest
    assert services.erase_personal_data(now=open_round.closes_at + dt.timedelta(days=contest.retention_days - 1)) == 0
    assert services.erase_personal_data(now=open_round.closes_at + dt.timedelta(days=contest.retention_days + 1)) == 1
    attempt.refresh_from_db()
    assert (attempt.name, attempt.phone, attempt.citizen_id_last) == ("", "", "")
    assert attempt.score == 10 and attempt.unit == org_tree.commune_a  # the results stay


def test_masks():
    assert services.mask_name("Nguyễn Thị Lan") == "Nguyễn T. L."
    assert services.mask_phone("0912345678") == "091****678"
    assert services.mask_citizen_id("7890").endswith("7890") and "1234" not in services.mask_citizen_id("7890")
    assert services.normalise_phone("+84 912 345 678") == "0912345678"
    assert services.normalise_citizen_id("0012 3456 7890") == CCCD


def test_published_participants_count_toward_the_plans_contest_targets(open_round, org_tree, output_catalogue):
    """The province's plan sets 'Tổ chức Hội thi … 01 cuộc, 1.000 lượt người tham gia' and the communes'
    part 'Hưởng ứng Hội thi … 300 lượt người tham gia': the published round counts toward both."""
    from cchc.outputs import selectors as outputs
    from cchc.plans import services as plans

    t = org_tree
    plan = plans.plan_create(user=t.supervisor, owner=t.province, title="Tuyên truyền CCHC năm 2026",
                             plan_year=timezone.localdate().year, number="15/KH-UBND")
    held = plans.task_create(plan=plan, user=t.supervisor, title="Tổ chức Hội thi tìm hiểu về cải cách hành chính",
                             lead_units=[t.province], targets=[
                                 {"quantity": 1, "unit": "cuộc", "text": "01 cuộc"},
                                 {"quantity": 1000, "unit": "lượt người tham gia", "text": "1.000 lượt người tham gia"}])
    joined = plans.task_create(plan=plan, user=t.supervisor,
                               title="Hưởng ứng Hội thi tìm hiểu về cải cách hành chính trực tuyến",
                               lead_units=[t.commune_a], targets=[
                                   {"quantity": 300, "unit": "lượt người dự thi", "text": "300 lượt người dự thi"}])
    plans.plan_issue(plan=plan, user=t.supervisor)
    for i in range(3):
        _finish(open_round, t.commune_a, f"00000000009{i}", wrong=0, seconds=60, prediction=3)
    services.results_publish(user=t.supervisor, round=open_round, now=open_round.closes_at + dt.timedelta(minutes=1))
    record = OutputRecord.objects.get(source=services.OUTPUT_SOURCE, unit=t.commune_a)
    assert record.task == joined and record.target == joined.targets.get()
    organiser = OutputRecord.objects.get(source=services.OUTPUT_SOURCE, unit=t.province)
    assert organiser.task == held and organiser.people_reached == 3
    year = timezone.localdate().year
    actuals = outputs.target_actuals(target_ids=[x.pk for x in [*held.targets.all(), *joined.targets.all()]],
                                     unit_paths=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    cuoc, people = held.targets.order_by("order")
    assert actuals[cuoc.pk]["done"] == 1 and actuals[people.pk]["done"] == 3
    assert actuals[joined.targets.get().pk]["done"] == 3
