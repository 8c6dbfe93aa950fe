"""Every write to surveys goes through these functions: keyword-only, atomic, validated, audited.

Organisers build a survey (`survey_create`, from the SIPAS template or blank; sections and questions
while it is being prepared), open it, close it and publish its results; counters issue receipt codes.
Citizens' answers come through `response_submit`, which checks the window, the questions shown, the
required ones, the values offered and the one-answer rules. Closing records the respondents as an
output through the outputs registry, once per survey (closing again brings the same record up to
date).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.text import nfc

from . import template as sipas
from .models import Answer, Question, ReceiptCode, Response, Section, Survey

OUTPUT_SOURCE = "surveys.survey"
OUTPUT_TYPE = "satisfaction_survey"
MAX_TEXT = 2000
MAX_CHOICES = 20
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


class SurveyError(Exception):
    """What cannot be done, said for the user; `fields` maps a question id or field name to a message."""

    def __init__(self, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class AlreadyAnswered(SurveyError):
    pass


def _editable(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError(_("The questions can be changed only while the survey is being prepared (before it opens)."))


def _check_window(opens_at, closes_at) -> None:
    if opens_at is None or closes_at is None:
        raise SurveyError(_("Give the opening and closing date and time."))
    if opens_at >= closes_at:
        raise SurveyError(_("The survey must close after it opens."), fields={"closes_at": _("Choose a later time.")})


# ---------------------------------------------------------------- building

@transaction.atomic
def survey_create(*, user, unit, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                  limit: str = Survey.Limit.DEVICE, introduction: str = "", from_template: bool = False) -> Survey:
    _check_window(opens_at, closes_at)
    title = nfc(title or "").strip() or (sipas.TITLE if from_template else "")
    if not title:
        raise SurveyError(_("Give the survey a title."), fields={"title": _("This field is required.")})
    survey = Survey(unit=unit, title=title[:300], opens_at=opens_at, closes_at=closes_at, limit=limit,
                    introduction=nfc(introduction or "").strip() or (sipas.INTRODUCTION if from_template else ""),
                    kiosk_token=secrets.token_urlsafe(24), created_by=user)
    survey.full_clean()
    survey.save()
    if from_template:
        _build_from_template(survey)
    audit.record(actor=user, action="create", obj=survey,
                 message="from the SIPAS template" if from_template else "blank")
    return survey


def _build_from_template(survey: Survey) -> None:
    for s_order, (title, area, questions) in enumerate(sipas.SIPAS, start=1):
        section = Section.objects.create(survey=survey, title=title, area=area, order=s_order * 10)
        made: list[Question] = []
        for q_order, (text, kind, required, choices, condition) in enumerate(questions, start=1):
            show_if, value = (made[condition[0]], condition[1]) if condition else (None, "")
            made.append(Question.objects.create(section=section, text=text, kind=kind, required=required,
                                                choices=list(choices), order=q_order * 10, show_if=show_if,
                                                show_if_value=value))


@transaction.atomic
def survey_update(*, survey: Survey, user, title: str, introduction: str, opens_at, closes_at, limit: str) -> Survey:
    _check_window(opens_at, closes_at)
    before = audit.snapshot(survey)
    survey.title, survey.introduction = nfc(title or "").strip()[:300], nfc(introduction or "").strip()
    survey.opens_at, survey.closes_at, survey.limit = opens_at, closes_at, limit
    if not survey.title:
        raise SurveyError(_("Give the survey a title."), fields={"title": _("This field is required.")})
    survey.full_clean()
    survey.save()
    audit.record(actor=user, action="update", obj=survey, before=before)
    _forget_public_pages(survey)
    return survey


@transaction.atomic
def section_add(*, survey: Survey, user, title: str, area: str = "") -> Section:
    _editable(survey)
    title = nfc(title or "").strip()
    if not title:
        raise SurveyError(_("Give the section a title."), fields={"title": _("This field is required.")})
    last = survey.sections.order_by("-order").values_list("order", flat=True).first() or 0
    section = Section(survey=survey, title=title[:300], area=area or "", order=last + 10)
    section.full_clean()
    section.save()
    audit.record(actor=user, action="create", obj=section, unit_id=survey.unit_id)
    return section


@transaction.atomic
def section_delete(*, section: Section, user) -> None:
    _editable(section.survey)
    before = audit.snapshot(section)
    audit.record(actor=user, action="delete", obj=section, before=before, unit_id=section.survey.unit_id)
    section.delete()


def _clean_choices(kind: str, choices) -> list[str]:
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return []
    found: list[str] = []
    for line in choices or []:
        value = nfc(str(line)).strip()[:200]
        if value and value not in found:
            found.append(value)
    if len(found) < 2:
        raise SurveyError(_("A choice question needs at least two answers to choose from, one per line."),
                          fields={"choices": _("Write at least two answers, one per line.")})
    if len(found) > MAX_CHOICES:
        raise SurveyError(_("A question may offer at most %(n)d answers.") % {"n": MAX_CHOICES},
                          fields={"choices": _("Too many answers.")})
    return found


@transaction.atomic
def question_add(*, section: Section, user, text: str, kind: str, required: bool = False, choices=(),
                 show_if: Question | None = None, show_if_value: str = "") -> Question:
    _editable(section.survey)
    text = nfc(text or "").strip()
    if not text:
        raise SurveyError(_("Write the question."), fields={"text": _("This field is required.")})
    if kind not in Question.Kind.values:
        raise SurveyError(_("Choose the kind of question."), fields={"kind": _("Choose from the list.")})
    show_if_value = nfc(show_if_value or "").strip()
    if show_if is not None:
        if show_if.section.survey_id != section.survey_id or show_if.kind == Question.Kind.TEXT:
            raise SurveyError(_("A question can depend only on an earlier choice or scale question of the same survey."),
                              fields={"show_if": _("Choose another question.")})
        if show_if_value not in show_if.options:
            raise SurveyError(_("“%(value)s” is not one of the answers of the question it depends on (%(options)s).")
                              % {"value": show_if_value, "options": ", ".join(show_if.options)},
                              fields={"show_if_value": _("Write one of its answers exactly.")})
    else:
        show_if_value = ""
    last = section.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = Question(section=section, text=text[:500], kind=kind, required=bool(required),
                        choices=_clean_choices(kind, choices), order=last + 10, show_if=show_if,
                        show_if_value=show_if_value)
    question.full_clean()
    question.save()
    audit.record(actor=user, action="create", obj=question, unit_id=section.survey.unit_id)
    return question


@transaction.atomic
def question_delete(*, question: Question, user) -> None:
    survey = question.section.survey
    _editable(survey)
    audit.record(actor=user, action="delete", obj=question, before=audit.snapshot(question), unit_id=survey.unit_id)
    question.delete()


# ---------------------------------------------------------------- life of a survey

def _forget_public_pages(survey: Survey) -> None:
    from cchc.portal.sites import invalidate_unit

    unit = survey.unit
    transaction.on_commit(lambda: invalidate_unit(unit))


def _set_status(survey: Survey, user, status: str, message: str, **extra) -> bool:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status == status and not extra:
        survey.refresh_from_db()
        return False
    before = audit.snapshot(locked)
    locked.status = status
    for name, value in extra.items():
        setattr(locked, name, value)
    locked.save()
    audit.record(actor=user, action="update", obj=locked, before=before, message=message)
    survey.refresh_from_db()
    _forget_public_pages(survey)
    return True


@transaction.atomic
def survey_open(*, survey: Survey, user) -> bool:
    """Open the survey to answers (within its window). Returns False when it was open already."""
    if not Question.objects.filter(section__survey=survey).exists():
        raise SurveyError(_("Add at least one question before opening the survey."))
    if survey.closes_at <= timezone.now():
        raise SurveyError(_("The closing time has passed: set a later one before opening the survey."))
    if survey.status == Survey.Status.OPEN:
        return False
    return _set_status(survey, user, Survey.Status.OPEN, "opened")


@transaction.atomic
def survey_close(*, survey: Survey, user) -> bool:
    """Stop taking answers and count the respondents as an output of the survey's unit (one record
    per survey, brought up to date if it is closed again). Returns False when it was closed already."""
    if survey.status == Survey.Status.DRAFT:
        raise SurveyError(_("A survey that never opened cannot be closed."))
    changed = survey.status != Survey.Status.CLOSED
    if changed:
        _set_status(survey, user, Survey.Status.CLOSED, "closed", closed_at=timezone.now())
    _record_output(survey)
    return changed


def close_due(*, now=None) -> int:
    """Close every open survey whose window has ended, as its organiser would (the respondents counted as
    the survey's output); run by the Celery beat and `cchc close-surveys`. Returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_at__lte=now):
        if survey_close(survey=survey, user=None):
            closed += 1
    return closed


@transaction.atomic
def survey_reopen(*, survey: Survey, user) -> bool:
    """Take answers again (a survey closed too early); its output stays counted and is brought up to
    date when it closes again."""
    if survey.status != Survey.Status.CLOSED:
        return False
    if survey.closes_at <= timezone.now():
        raise SurveyError(_("The closing time has passed: set a later one before opening the survey."))
    return _set_status(survey, user, Survey.Status.OPEN, "reopened")


@transaction.atomic
def results_publish(*, survey: Survey, user, publish: bool = True) -> bool:
    """Show (or stop showing) the results on the public site. Returns whether anything changed."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if publish == locked.results_public:
        return False
    if publish and not locked.responses.exists():
        raise SurveyError(_("There are no answers yet: there is nothing to publish."))
    before = audit.snapshot(locked)
    locked.results_published_at = timezone.now() if publish else None
    locked.save(update_fields=["results_published_at", "updated_at"])
    audit.record(actor=user, action="update", obj=locked, before=before,
                 message="results published" if publish else "results withdrawn")
    survey.refresh_from_db()
    _forget_public_pages(survey)
    return True


@transaction.atomic
def kiosk_token_renew(*, survey: Survey, user) -> str:
    """A new kiosk address; the old one stops working (a tablet lost, the link shared too widely)."""
    before = audit.snapshot(survey)
    survey.kiosk_token = secrets.token_urlsafe(24)
    survey.save(update_fields=["kiosk_token", "updated_at"])
    audit.record(actor=user, action="update", obj=survey, before={"kiosk_token": "…" if before else ""},
                 after={"kiosk_token": "renewed"}, message="kiosk link renewed")
    return survey.kiosk_token


def _plan_link(unit, day: dt.date) -> tuple:
    """The task (and target) of the unit's issued plans that the survey serves, when exactly one task
    is about a satisfaction survey; (None, None) otherwise."""
    from cchc.outputs.catalogue import compatible_codes, type_for_target_unit, type_for_text
    from cchc.outputs.selectors import assigned_tasks, compatibility_table

    tasks = [t for t in assigned_tasks(unit)
             if (not t.plan.plan_year or t.plan.plan_year == day.year)
             and (type_for_text(t.title) == OUTPUT_TYPE
                  or any(type_for_target_unit(x.unit) == OUTPUT_TYPE for x in t.targets.all()))]
    if len(tasks) != 1:
        return None, None
    task = tasks[0]
    table = compatibility_table()
    targets = [t for t in task.targets.all()
               if (codes := compatible_codes(t.unit, table)) is None or OUTPUT_TYPE in codes]
    return task, targets[0] if len(targets) == 1 else None


def _record_output(survey: Survey) -> None:
    from cchc.outputs.services import output_record_from_source

    respondents = survey.responses.count()
    day = timezone.localdate(survey.closed_at or timezone.now())
    title = f"{survey.title} ({respondents} phiếu trả lời)"
    task, target = _plan_link(survey.unit, day)
    output_record_from_source(source=OUTPUT_SOURCE, source_ref=str(survey.pk), unit=survey.unit,
                              output_type=OUTPUT_TYPE, date=day, quantity=1, title=title,
                              people_reached=respondents, task=task, target=target)


# ---------------------------------------------------------------- receipt codes

def _new_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(8))


@transaction.atomic
def receipt_issue(*, survey: Survey, user, procedure=None, unit=None) -> ReceiptCode:
    """A code for one receipt of the one-stop counter (printed with its link and QR code)."""
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("The survey is closed: no more receipt codes are issued for it."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                receipt = ReceiptCode.objects.create(survey=survey, code=_new_code(), procedure=procedure,
                                                     unit=unit or survey.unit, created_by=user)
                break
        except IntegrityError:  # the same random code twice: draw again
            continue
    else:
        raise SurveyError(_("No free code could be drawn; try again."))
    audit.record(actor=user, action="create", obj=receipt)
    return receipt


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:16]


# ---------------------------------------------------------------- answers

def visible_questions(questions: list[Question], raw: dict[int, list[str]]) -> list[Question]:
    """The questions a respondent was shown: a conditional one only when the question it depends on
    was itself shown and got the given answer."""
    shown: set[int] = set()
    result = []
    for q in questions:
        if q.show_if_id is None or (q.show_if_id in shown and q.show_if_value in raw.get(q.show_if_id, [])):
            shown.add(q.pk)
            result.append(q)
    return result


def _answers_for(questions: list[Question], raw: dict[int, list[str]]) -> tuple[list[Answer], dict]:
    answers, errors = [], {}
    for q in visible_questions(questions, raw):
        values = [nfc(v).strip() for v in raw.get(q.pk, []) if nfc(v or "").strip()]
        if not values:
            if q.required:
                errors[q.pk] = _("Please answer this question.")
            continue
        if q.kind == Question.Kind.TEXT:
            text = values[0]
            if len(text) > MAX_TEXT:
                errors[q.pk] = _("Write at most %(n)d characters.") % {"n": MAX_TEXT}
                continue
            answers.append(Answer(question=q, text=text))
            continue
        if q.kind != Question.Kind.MULTIPLE:
            values = values[:1]
        if any(v not in q.options for v in values):
            errors[q.pk] = _("Choose one of the answers offered.")
            continue
        for value in dict.fromkeys(values):
            answers.append(Answer(question=q, value=value,
                                  number=int(value) if q.kind == Question.Kind.SCALE else None))
    return answers, errors


def response_submit(*, survey: Survey, raw: dict[int, list[str]], form_token: str,
                    channel: str = Response.Channel.WEB, device_token: str | None = None,
                    receipt_code: str = "", procedure=None, unit=None, now=None) -> tuple[Response, bool]:
    """Store one anonymous answer; (response, created). The same form posted again (`form_token`) finds
    the first one. Refused with a clear message: outside the window, a second answer from the device or
    the receipt code, an unknown code, required questions left out, values not offered."""
    if not form_token:
        raise SurveyError(_("The form has expired. Open the survey again and answer."))
    first = Response.objects.filter(form_token=form_token, survey=survey).first()
    if first is not None:
        return first, False
    if not survey.accepts_answers(now):
        raise SurveyError(_("This survey is not taking answers now."))
    receipt = None
    code = normalise_code(receipt_code)
    if code:
        receipt = ReceiptCode.objects.filter(survey=survey, code=code).select_related("procedure", "unit").first()
        if receipt is None:
            raise SurveyError(_("The code “%(code)s” is not a receipt code of this survey. Check the code printed on "
                                "your receipt.") % {"code": code}, fields={"receipt": _("Unknown code.")})
        channel = Response.Channel.RECEIPT if channel == Response.Channel.WEB else channel
        procedure, unit = receipt.procedure or procedure, receipt.unit or unit
    elif survey.limit == Survey.Limit.RECEIPT:
        raise SurveyError(_("This survey is answered with the code printed on your receipt. Type the code."),
                          fields={"receipt": _("Type the code printed on your receipt.")})
    if receipt is not None and Response.objects.filter(receipt=receipt).exists():
        raise AlreadyAnswered(_("This receipt code has already been used to answer. Thank you!"))
    if channel != Response.Channel.WEB or survey.limit != Survey.Limit.DEVICE:
        device_token = None  # a kiosk is shared by everyone; a receipt survey counts codes, not devices
    elif device_token and Response.objects.filter(survey=survey, device_token=device_token).exists():
        raise AlreadyAnswered(_("An answer to this survey has already been sent from this device. Thank you!"))
    questions = list(Question.objects.filter(section__survey=survey).select_related("section"))
    answers, errors = _answers_for(questions, raw)
    if errors:
        raise SurveyError(_("Some required questions are not answered yet: they are marked below."), fields=errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, channel=channel, procedure=procedure, unit=unit,
                                               receipt=receipt, device_token=device_token or None,
                                               form_token=form_token, submitted_at=now or timezone.now())
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        # the same form or the same receipt/device at the same moment: the other request stored it
        first = Response.objects.filter(form_token=form_token).first()
        if first is not None:
            return first, False
        raise AlreadyAnswered(_("An answer was already sent with this receipt code or from this device. Thank you!"))
    return response, True
