"""Surveys' services: the template, the one-answer rules, conditional questions, the index as SIPAS
computes it (figures computed by hand below), the output a closed survey records once."""

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.outputs.models import OutputRecord
from cchc.surveys import selectors, services
from cchc.surveys.models import Area, Question, Response, Survey

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _submit(survey, raw, **kw):
    return services.response_submit(survey=survey, raw=raw, form_token=secrets.token_urlsafe(16), **kw)


def test_the_template_follows_the_satisfaction_index(survey):
    areas = list(survey.sections.values_list("area", flat=True))
    assert areas == ["", Area.ACCESS, Area.PROCEDURE, Area.STAFF, Area.RESULT, Area.FEEDBACK, Area.OVERALL]
    conditional = Question.objects.filter(section__survey=survey, show_if__isnull=False)
    assert conditional.count() == 4 and {q.show_if_value for q in conditional} == {"Có"}
    assert AuditEvent.objects.filter(object_type="surveys.survey", object_id=str(survey.pk)).count() == 2


def test_conditional_questions_are_required_only_when_shown(survey):
    # "Không" to the feedback question: its four scale questions are not asked, the answer is complete
    response, created = _submit(survey, full_answers(survey, feedback="Không"))
    assert created and not response.answers.filter(question__show_if__isnull=False).exists()
    # "Có" without the four: refused, each one marked
    raw = full_answers(survey, feedback="Có")
    hidden = Question.objects.filter(section__survey=survey, show_if__isnull=False)
    for q in hidden:
        raw.pop(q.pk, None)
    with pytest.raises(services.SurveyError) as refused:
        _submit(survey, raw)
    assert set(refused.value.fields) == {q.pk for q in hidden}
    # answers sent to a question that was not shown are dropped, not counted
    raw = full_answers(survey, feedback="Không")
    raw[hidden[0].pk] = ["1"]
    response, _ = _submit(survey, raw)
    assert not response.answers.filter(question=hidden[0]).exists()


def test_values_not_offered_are_refused(survey):
    raw = full_answers(survey)
    scale = Question.objects.filter(section__survey=survey, kind="scale").first()
    raw[scale.pk] = ["7"]
    with pytest.raises(services.SurveyError) as refused:
        _submit(survey, raw)
    assert scale.pk in refused.value.fields
    assert Response.objects.count() == 0


def test_one_answer_per_receipt_is_a_database_rule(survey, tree):
    receipt = services.receipt_issue(survey=survey, user=tree.officer_a)
    first, created = _submit(survey, full_answers(survey), receipt_code=receipt.code.lower())
    assert created and first.receipt == receipt and first.channel == "receipt"
    with pytest.raises(services.AlreadyAnswered):
        _submit(survey, full_answers(survey), receipt_code=receipt.code)
    # the database itself refuses a second row for the code
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, receipt=receipt, form_token="x" * 20)
    assert Response.objects.filter(receipt=receipt).count() == 1
    with pytest.raises(services.SurveyError):
        _submit(survey, full_answers(survey), receipt_code="KHONGCO1")


def test_a_receipt_survey_requires_the_code(survey, tree):
    survey.limit = Survey.Limit.RECEIPT
    survey.save()
    with pytest.raises(services.SurveyError) as refused:
        _submit(survey, full_answers(survey))
    assert "receipt" in refused.value.fields
    receipt = services.receipt_issue(survey=survey, user=tree.officer_a)
    assert _submit(survey, full_answers(survey), receipt_code=receipt.code)[1]


def test_one_answer_per_device_and_the_same_form_stored_once(survey):
    token = "thiet-bi-" + "a" * 20
    raw = full_answers(survey)
    first, created = services.response_submit(survey=survey, raw=raw, form_token="f" * 24, device_token=token)
    again, created_again = services.response_submit(survey=survey, raw=raw, form_token="f" * 24, device_token=token)
    assert created and not created_again and again == first
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(survey=survey, raw=raw, form_token="g" * 24, device_token=token)
    # a kiosk is shared: its answers carry no device token and are never refused as "this device"
    for n in range(3):
        _submit(survey, raw, channel=Response.Channel.KIOSK, device_token=token)
    assert Response.objects.filter(channel="kiosk", device_token__isnull=True).count() == 3


def test_answers_only_inside_the_window(survey):
    with pytest.raises(services.SurveyError):
        _submit(survey, full_answers(survey), now=survey.closes_at + dt.timedelta(minutes=1))
    with pytest.raises(services.SurveyError):
        _submit(survey, full_answers(survey), now=survey.opens_at - dt.timedelta(minutes=1))


def test_the_index_as_sipas_computes_it(survey):
    """Four answers, computed by hand:

    access (3 questions):     A 5,5,5  B 4,4,4  C 3,3,3  D 1,2,2  → satisfied 6 of 12 = 50.0 %
    procedure (4):            all 4 for A,B; 3 for C; 2 for D     → 8 of 16 = 50.0 %
    civil servants (5):       5 for A,B,C; 1 for D                → 15 of 20 = 75.0 %
    result (2):               5 for A,B,C,D                        → 8 of 8 = 100.0 %
    feedback (4, only A, B):  A 5 ×4, B 2 ×4                       → 4 of 8 = 50.0 %
    index = (50 + 50 + 75 + 100 + 50) / 5 = 65.0 ; overall question: A 5, B 4, C 3, D 3 → 2 of 4 = 50.0 %
    """
    qs = {a: list(Question.objects.filter(section__survey=survey, section__area=a, kind="scale")) for a in Area.values}
    plan = {
        "A": {"access": [5, 5, 5], "procedure": [4] * 4, "staff": [5] * 5, "result": [5, 5], "feedback": [5] * 4, "overall": [5]},
        "B": {"access": [4, 4, 4], "procedure": [4] * 4, "staff": [5] * 5, "result": [5, 5], "feedback": [2] * 4, "overall": [4]},
        "C": {"access": [3, 3, 3], "procedure": [3] * 4, "staff": [5] * 5, "result": [5, 5], "feedback": None, "overall": [3]},
        "D": {"access": [1, 2, 2], "procedure": [2] * 4, "staff": [1] * 5, "result": [5, 5], "feedback": None, "overall": [3]},
    }
    for person in plan.values():
        raw = full_answers(survey, feedback="Có" if person["feedback"] else "Không")
        for area, scores in person.items():
            if scores:
                for q, score in zip(qs[area], scores, strict=True):
                    raw[q.pk] = [str(score)]
        _submit(survey, raw)
    r = selectors.results(survey)
    shares = {a["area"]: a["share"] for a in r["areas"]}
    assert shares == {"access": Decimal("50.0"), "procedure": Decimal("50.0"), "staff": Decimal("75.0"),
                      "result": Decimal("100.0"), "feedback": Decimal("50.0")}
    assert r["index"] == Decimal("65.0") and r["overall"] == Decimal("50.0") and r["count"] == 4


def test_breakdown_by_procedure_unit_and_month(survey, tree):
    from cchc.procedures.models import Procedure

    procedure = Procedure.objects.create(unit=tree.commune_a, code="1.001234", name="Đăng ký khai sinh")
    receipt = services.receipt_issue(survey=survey, user=tree.officer_a, procedure=procedure)
    _submit(survey, full_answers(survey, score=5), receipt_code=receipt.code)
    _submit(survey, full_answers(survey, score=2), unit=tree.commune_a_sub)
    r = selectors.results(survey)
    by_procedure = {row["name"]: (row["count"], row["index"]) for row in r["by_procedure"]}
    assert by_procedure == {"Đăng ký khai sinh": (1, Decimal("100.0")), None: (1, Decimal("0.0"))} or \
        by_procedure == {"Đăng ký khai sinh": (1, Decimal("100.0")), "": (1, Decimal("0.0"))}
    by_unit = {row["name"]: row["count"] for row in r["by_unit"]}
    assert by_unit == {tree.commune_a.name: 1, tree.commune_a_sub.name: 1}
    month = timezone.localdate()
    assert [(row["name"], row["count"]) for row in r["by_month"]] == [(f"{month.month:02d}/{month.year}", 2)]
    only = selectors.results(survey, procedure_id=procedure.pk)
    assert only["count"] == 1 and only["index"] == Decimal("100.0")


def test_closing_records_the_respondents_once(survey, tree):
    for _n in range(3):
        _submit(survey, full_answers(survey))
    assert services.survey_close(survey=survey, user=tree.officer_a)
    record = OutputRecord.objects.get(source="surveys.survey", source_ref=str(survey.pk))
    assert record.people_reached == 3 and record.quantity == 1 and record.unit == tree.commune_a
    assert record.output_type.code == "satisfaction_survey"
    assert not services.survey_close(survey=survey, user=tree.officer_a)  # again: nothing new
    services.survey_reopen(survey=survey, user=tree.officer_a)
    _submit(survey, full_answers(survey))
    services.survey_close(survey=survey, user=tree.officer_a)
    assert OutputRecord.objects.filter(source="surveys.survey").count() == 1
    assert OutputRecord.objects.get(source="surveys.survey").people_reached == 4


def test_a_survey_whose_window_ended_is_closed_and_counted_without_anyone(survey, tree):
    _submit(survey, full_answers(survey))
    assert services.close_due(now=survey.closes_at - dt.timedelta(minutes=1)) == 0  # still open
    assert services.close_due(now=survey.closes_at + dt.timedelta(minutes=1)) == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert OutputRecord.objects.get(source="surveys.survey", source_ref=str(survey.pk)).people_reached == 1
    assert services.close_due(now=survey.closes_at + dt.timedelta(hours=1)) == 0  # once


def test_questions_change_only_while_preparing(survey, tree):
    section = survey.sections.first()
    with pytest.raises(services.SurveyError):
        services.question_add(section=section, user=tree.officer_a, text="Câu mới", kind="text")


def test_builder_checks_choices_and_conditions(tree, output_catalogue):
    now = timezone.now()
    s = services.survey_create(user=tree.officer_a, unit=tree.commune_a, title="Khảo sát thử", opens_at=now,
                               closes_at=now + dt.timedelta(days=3))
    section = services.section_add(survey=s, user=tree.officer_a, title="Chung", area="overall")
    with pytest.raises(services.SurveyError):
        services.question_add(section=section, user=tree.officer_a, text="Chọn", kind="single", choices=["Một"])
    parent = services.question_add(section=section, user=tree.officer_a, text="Đã dùng dịch vụ công trực tuyến?",
                                   kind="single", choices=["Có", "Không"], required=True)
    with pytest.raises(services.SurveyError):
        services.question_add(section=section, user=tree.officer_a, text="Hài lòng?", kind="scale",
                              show_if=parent, show_if_value="Có lẽ")
    child = services.question_add(section=section, user=tree.officer_a, text="Hài lòng với dịch vụ trực tuyến?",
                                  kind="scale", required=True, show_if=parent, show_if_value="Có")
    assert child.show_if == parent
    with pytest.raises(services.SurveyError):
        services.survey_create(user=tree.officer_a, unit=tree.commune_a, title="Sai", opens_at=now, closes_at=now)


def test_sample_size_rounds_up():
    # 1,000 transactions, e = 5%: 1000 / (1 + 1000 × 0.0025) = 1000 / 3.5 = 285.71… → 286
    assert selectors.sample_size(1000) == 286
    assert selectors.sample_size_exact(1000) == Decimal("285.71")
    # 400 / (1 + 400 × 0.0025) = 200 exactly: no rounding
    assert selectors.sample_size(400) == 200
    assert selectors.sample_size(50_000, Decimal("0.03")) == 1087  # 50000 / 46 = 1086.96…


def test_the_closed_survey_counts_toward_the_plans_target(survey, tree):
    """A commune plan that says "Khảo sát mức độ hài lòng của người dân — 01 cuộc khảo sát": the survey
    closed is its one survey and its respondents are the people reached, without anyone typing them."""
    from cchc.outputs.selectors import target_actuals
    from cchc.plans import services as plan_services

    year = timezone.localdate().year
    plan = plan_services.plan_create(user=tree.manager_a, owner=tree.commune_a, plan_year=year, number="5/KH-UBND",
                                     title="Kế hoạch cải cách hành chính", reporting={"periods": ["Y"]})
    task = plan_services.task_create(plan=plan, user=tree.manager_a, lead_units=[tree.commune_a],
                                     title="Khảo sát mức độ hài lòng của người dân, tổ chức",
                                     targets=[{"quantity": 1, "unit": "cuộc khảo sát", "per": "year",
                                               "text": "01 cuộc khảo sát"}])
    plan_services.plan_issue(plan=plan, user=tree.manager_a)
    for _n in range(2):
        _submit(survey, full_answers(survey))
    services.survey_close(survey=survey, user=tree.officer_a)
    record = OutputRecord.objects.get(source="surveys.survey")
    target = task.targets.get()
    assert record.task_id == task.pk and record.target_id == target.pk
    done = target_actuals(target_ids=[target.pk], unit_paths=[tree.commune_a.path],
                          start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    assert done[target.pk]["quantity"] == 1


def test_results_take_the_same_queries_for_few_and_many_answers(survey, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measured():
        with CaptureQueriesContext(connection) as ctx:
            selectors.results(survey)
        return len(ctx)

    for _n in range(3):
        _submit(survey, full_answers(survey))
    few = measured()
    for n in range(30):
        _submit(survey, full_answers(survey, score=1 + n % 5))
    assert measured() == few
