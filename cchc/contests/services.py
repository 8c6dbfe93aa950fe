"""Writes of knowledge contests: contests, the question bank (.xlsx import, all or nothing), rounds and
prizes, attempts (started and submitted with the server's clock, once per person per round), winners
from the ranking, publication (with the outputs it counts) and the erasure of personal data."""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cchc.core import audit, uploads
from cchc.core.text import fold, nfc
from cchc.org.models import Unit

from .models import MAX_OPTIONS, MIN_OPTIONS, Attempt, Contest, Prize, Question, Round

MAX_BANK_ROWS = 2000
MAX_TEXT = 2000
OUTPUT_SOURCE = "contests.round"
LETTERS = "ABCDEF"


class ContestError(Exception):
    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class AlreadyTaken(ContestError):
    """This person has an attempt at this round already."""


def grace_seconds() -> int:
    return int(getattr(settings, "CCHC_CONTEST_GRACE_SECONDS", 10))


# ---------------------------------------------------------------- personal data

def normalise_phone(value: str) -> str:
    """'+84 912 345 678', '0912.345.678' → '0912345678'; '' when it is not a Vietnamese number."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"0\d{9}", digits) else ""


def normalise_citizen_id(value: str) -> str:
    """The 12 digits of a CCCD (spaces and dots allowed); '' otherwise."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    return digits if re.fullmatch(r"\d{12}", digits) else ""


def person_key(contest: Contest, identifier: str) -> str:
    """A keyed hash of the identifier, keyed per contest: the uniqueness the database enforces, without
    the identifier (which cannot be found again from it without the site's secret key)."""
    return salted_hmac(f"cchc.contests.person:{contest.pk}", identifier, algorithm="sha256").hexdigest()


def mask_name(name: str) -> str:
    """'Nguyễn Thị Lan' → 'Nguyễn T. L.' (the family name, then initials)."""
    words = (name or "").split()
    if not words:
        return "—"
    return " ".join([words[0]] + [w[0] + "." for w in words[1:]])


def mask_phone(phone: str) -> str:
    """'0912345678' → '091****678'."""
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) >= 7 else ("—" if not phone else "****")


def mask_citizen_id(last: str) -> str:
    return ("•" * 8 + last) if last else "—"


# ---------------------------------------------------------------- contests

def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = {k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()}
        raise ContestError(" ".join(fields.values()), fields=fields) from exc


@transaction.atomic
def contest_create(*, user, unit: Unit, title: str, description: str = "", ask_phone: bool = True,
                   ask_citizen_id: bool = True, retention_days: int = 180) -> Contest:
    contest = Contest(unit=unit, title=nfc(title).strip(), description=nfc(description or "").strip(),
                      ask_phone=ask_phone, ask_citizen_id=ask_citizen_id, retention_days=retention_days,
                      created_by=user)
    if not (ask_phone or ask_citizen_id):
        raise ContestError(_("Ask for the phone number or the citizen ID (or both): one attempt per person is "
                             "checked with it."), fields={"ask_phone": _("Choose at least one.")})
    _full_clean(contest)
    contest.save()
    audit.record(action="create", obj=contest, actor=user)
    return contest


@transaction.atomic
def round_create(*, user, contest: Contest, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                 questions_per_attempt: int, time_limit_seconds: int, prediction_question: str = "") -> Round:
    if opens_at >= closes_at:
        raise ContestError(_("The round must close after it opens."), fields={"closes_at": _("Must be after the opening.")})
    available = contest.questions.filter(is_active=True).count()
    if questions_per_attempt > available:
        raise ContestError(
            _("The bank has %(n)d questions in use: a round cannot draw %(k)d. Import more questions or draw fewer.")
            % {"n": available, "k": questions_per_attempt}, fields={"questions_per_attempt": _("Too many.")})
    number = (contest.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    rnd = Round(contest=contest, number=number, title=nfc(title).strip(), opens_at=opens_at, closes_at=closes_at,
                questions_per_attempt=questions_per_attempt, time_limit_seconds=time_limit_seconds)
    if prediction_question.strip():
        rnd.prediction_question = nfc(prediction_question).strip()
    _full_clean(rnd)
    rnd.save()
    audit.record(action="create", obj=rnd, actor=user)
    _forget_pages(rnd)  # the public list shows the new round at once
    return rnd


@transaction.atomic
def prizes_set(*, user, round: Round, counts: list[tuple[str, int]]) -> list[Prize]:
    """Replace the round's prize levels: [(name, how many)] in order (giải Nhất first)."""
    if round.results_published_at:
        raise ContestError(_("The results are published: the prizes can no longer be changed."))
    before = list(round.prizes.values("level", "name", "count"))
    Attempt.objects.filter(round=round, prize__isnull=False).update(prize=None)
    round.prizes.all().delete()
    prizes = [Prize.objects.create(round=round, level=i, name=nfc(name).strip()[:100], count=count)
              for i, (name, count) in enumerate(((n, c) for n, c in counts if n.strip() and c > 0), start=1)]
    Round.objects.filter(pk=round.pk).update(winners_assigned_at=None)
    round.winners_assigned_at = None
    audit.record(action="update", obj=round, actor=user, before={"prizes": before},
                 after={"prizes": [{"level": p.level, "name": p.name, "count": p.count} for p in prizes]},
                 message="prizes set")
    return prizes


# ---------------------------------------------------------------- the question bank

@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and self.created > 0


HEADERS = ("STT", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Phương án E",
           "Phương án F", "Đáp án đúng", "Giải thích")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def parse_bank_rows(rows: list[list]) -> tuple[list[dict], list[RowError]]:
    """The questions of the template's sheet (header on row 1) and the errors of each row, in Vietnamese,
    with the row number as the spreadsheet shows it."""
    if not rows or fold(_cell(rows[0][1] if len(rows[0]) > 1 else "")) != fold("Câu hỏi"):
        return [], [RowError(1, _("The first row must be the template's header (STT, Câu hỏi, Phương án A … F, "
                                  "Đáp án đúng, Giải thích). Download the template and copy the questions into it."))]
    questions, errors = [], []
    for number, raw in enumerate(rows[1:], start=2):
        values = [_cell(v) for v in raw] + [""] * 10
        text, options_raw, answer, explanation = values[1], values[2:8], values[8], values[9]
        if not any(values[:10]):
            continue
        if len(questions) + len(errors) >= MAX_BANK_ROWS:
            errors.append(RowError(number, _("A file may hold at most %(n)d questions; split it into several files.")
                                   % {"n": MAX_BANK_ROWS}))
            break
        problems = []
        if not text:
            problems.append(_("the question is empty"))
        elif len(text) > MAX_TEXT or len(explanation) > MAX_TEXT:
            problems.append(_("the question or its explanation is longer than %(n)d characters") % {"n": MAX_TEXT})
        # options must be contiguous from A: a gap would shift the letters of the answer
        last = max((i for i, o in enumerate(options_raw) if o), default=-1)
        options = options_raw[:last + 1]
        if any(not o for o in options):
            gap = LETTERS[next(i for i, o in enumerate(options) if not o)]
            problems.append(_("option %(letter)s is empty while a later one is filled") % {"letter": gap})
        elif len(options) < MIN_OPTIONS:
            problems.append(_("a question needs at least %(n)d options (A and B)") % {"n": MIN_OPTIONS})
        elif len({fold(o) for o in options}) < len(options):
            problems.append(_("two options are the same"))
        letters = list("".join(re.split(r"[\s,;/+&]+|\bVÀ\b", answer.upper())))
        if not answer:
            problems.append(_("the correct option is missing (write its letter, e.g. B, or several: A, C)"))
        elif any(c not in LETTERS for c in letters):
            problems.append(_("the correct option “%(value)s” is not a letter from A to F") % {"value": answer})
        elif any(LETTERS.index(c) >= len(options) for c in letters):
            problems.append(_("the correct option %(letters)s has no text") % {
                "letters": ", ".join(c for c in letters if LETTERS.index(c) >= len(options))})
        if problems:
            errors.append(RowError(number, _("Row %(row)d: %(problems)s.") % {"row": number,
                                                                               "problems": "; ".join(problems)}))
            continue
        questions.append({"row": number, "text": text, "options": options,
                          "correct": sorted({LETTERS.index(c) for c in letters}), "explanation": explanation})
    if not questions and not errors:
        errors.append(RowError(2, _("The file has no questions below the header.")))
    return questions, errors


def questions_import_xlsx(*, user, contest: Contest, file) -> ImportResult:
    """Read the filled template (checked, then read in the sandbox within its limits); add every
    question to the bank in one transaction, or none when any row has an error."""
    name = Path(getattr(file, "name", "") or "").name
    try:
        uploads.check_upload(file, allowed={".xlsx"})
        file.seek(0)
        rows = uploads.read_untrusted("sheet", file.read(), name=name)
    except uploads.UploadRefused as exc:
        raise ContestError(str(exc)) from exc
    questions, errors = parse_bank_rows(rows)
    result = ImportResult(rows=len(questions) + len(errors), errors=errors, file_name=name)
    if errors:
        return result
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()  # numbers given once at a time
        start = contest.questions.aggregate(n=Max("number"))["n"] or 0
        created = Question.objects.bulk_create([
            Question(contest=contest, number=start + i, text=q["text"], options=q["options"], correct=q["correct"],
                     explanation=q["explanation"]) for i, q in enumerate(questions, start=1)])
        audit.record(actor=user, action="create", object_type=Question._meta.label_lower, object_id="",
                     object_repr=_("%(n)d questions from %(file)s") % {"n": len(created), "file": name},
                     unit_id=contest.unit_id, after={"file": name, "count": len(created), "contest": contest.pk},
                     message=f"question bank import: {len(created)} questions")
    result.created = len(created)
    return result


def bank_template_xlsx() -> bytes:
    """The template organisers fill in: the header, two example rows and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from cchc.core.spreadsheets import workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = "Câu hỏi"
    ws.append(list(HEADERS))
    ws.append([1, "Cơ quan nào là cơ quan thường trực về cải cách hành chính của tỉnh?", "Sở Tư pháp", "Sở Nội vụ",
               "Văn phòng UBND tỉnh", "Sở Tài chính", None, None, "B",
               "Sở Nội vụ tham mưu, giúp UBND tỉnh thực hiện nhiệm vụ cải cách hành chính."])
    ws.append([2, "Những kênh nào người dân có thể gửi phản ánh, kiến nghị về thủ tục hành chính?",
               "Cổng Dịch vụ công quốc gia", "Đường dây nóng", "Trực tiếp tại Bộ phận Một cửa", None, None, None,
               "A, B, C", "Người dân có thể gửi qua nhiều kênh; khi có nhiều đáp án đúng, phải chọn đủ tất cả."])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (6, 60, 28, 28, 28, 28, 20, 20, 14, 50)):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của trang «Câu hỏi» là một câu hỏi; dòng 1 là tiêu đề, giữ nguyên.",
        "Mỗi câu có từ 2 đến 6 phương án (A đến F), điền liên tục từ A, để trống các cột không dùng.",
        "Cột «Đáp án đúng»: chữ cái của phương án đúng (B), hoặc nhiều chữ cái cách nhau bằng dấu phẩy (A, C): "
        "người dự thi phải chọn đủ và đúng mới được điểm.",
        "Cột «Giải thích» (không bắt buộc) hiện cho người dự thi sau khi nộp bài.",
        "Nếu có dòng lỗi, không câu nào được nhập: sửa các dòng được báo và tải lên lại.",
        "Xoá hai câu ví dụ trước khi nhập nếu không dùng.",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 120
    return workbook_bytes(wb)


# ---------------------------------------------------------------- attempts

def picker_units(contest: Contest) -> list[Unit]:
    """The units a participant picks from: the current communes, wards and departments (and other
    units directly under it) of the organiser's province, in Vietnamese order."""
    from cchc.core.text import vi_sorted

    province = contest.unit.province() or contest.unit
    below = Unit.objects.current().filter(parent=province).only("pk", "name", "kind", "path", "search_text")
    return vi_sorted(below, key=lambda u: u.name)


def _draw(contest: Contest, k: int) -> list[int]:
    ids = list(contest.questions.filter(is_active=True).values_list("pk", flat=True))
    if len(ids) < k:
        raise ContestError(_("This round cannot start: its question bank is not ready. Please come back later."))
    return random.SystemRandom().sample(ids, k)


def attempt_start(*, round: Round, name: str, phone: str, citizen_id: str, unit: Unit, start_token: str | None = None,
                  now: dt.datetime | None = None) -> Attempt:
    """Hand out this round's questions to a person, once: a repeat of the same form gives the same
    attempt; the same person again (the same CCCD, or phone) is refused with `AlreadyTaken`."""
    now = now or timezone.now()
    contest = round.contest
    if start_token:
        found = Attempt.objects.filter(start_token=start_token, round=round).first()
        if found is not None:
            return found
    if now < round.opens_at:
        raise ContestError(_("This round opens at %(when)s.") % {
            "when": timezone.localtime(round.opens_at).strftime("%H:%M %d/%m/%Y")})
    if now >= round.closes_at:
        raise ContestError(_("This round closed at %(when)s.") % {
            "when": timezone.localtime(round.closes_at).strftime("%H:%M %d/%m/%Y")})
    name = " ".join(nfc(name or "").split())
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = _("Write your full name.")
    phone_n = normalise_phone(phone) if contest.ask_phone else ""
    if contest.ask_phone and not phone_n:
        errors["phone"] = _("Write a Vietnamese mobile phone number of 10 digits, e.g. 0912 345 678.")
    cccd = normalise_citizen_id(citizen_id) if contest.ask_citizen_id else ""
    if contest.ask_citizen_id and not cccd:
        errors["citizen_id"] = _("The citizen ID (CCCD) has exactly 12 digits.")
    if errors:
        raise ContestError(" ".join(errors.values()), fields=errors)
    key = person_key(contest, "cccd:" + cccd if cccd else "phone:" + phone_n)
    question_ids = _draw(contest, round.questions_per_attempt)
    attempt = Attempt(round=round, person_key=key, access_key=secrets.token_urlsafe(24), start_token=start_token or None,
                      unit=unit, name=name, phone=phone_n, citizen_id_last=cccd[-4:], started_at=now,
                      deadline_at=now + dt.timedelta(seconds=round.time_limit_seconds), question_ids=question_ids,
                      max_score=len(question_ids))
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        if start_token:  # the same form, posted twice at once: the first one stored it
            found = Attempt.objects.filter(start_token=start_token, round=round).first()
            if found is not None:
                return found
        raise AlreadyTaken(_("You have already taken part in this round: each person has one attempt."))
    return attempt


def score_answers(questions: dict[int, Question], answers: dict[str, list[int]]) -> int:
    """One point per question whose chosen options are exactly the correct ones."""
    return sum(1 for pk, q in questions.items() if sorted(set(answers.get(str(pk), []))) == list(q.correct))


def attempt_submit(*, attempt: Attempt, answers: dict[str, list[int]], prediction: int | None,
                   now: dt.datetime | None = None) -> Attempt:
    """Score the attempt with the server's clock. Submitted again (a double click, a resend), it
    changes nothing and gives the same attempt. After the limit and its grace, the answers are not
    counted."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != Attempt.Status.STARTED:
            return attempt
        limit_ms = int((attempt.deadline_at - attempt.started_at).total_seconds() * 1000)
        if now > attempt.deadline_at + dt.timedelta(seconds=grace_seconds()):
            attempt.status, attempt.score, attempt.duration_ms = Attempt.Status.EXPIRED, 0, limit_ms
        else:
            questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).only("pk", "correct")}
            kept = {str(pk): sorted({int(i) for i in answers.get(str(pk), []) if 0 <= int(i) < MAX_OPTIONS})
                    for pk in attempt.question_ids}
            attempt.answers = kept
            attempt.score = score_answers(questions, kept)
            attempt.duration_ms = min(limit_ms, int((now - attempt.started_at).total_seconds() * 1000))
            attempt.status = Attempt.Status.SUBMITTED
        attempt.prediction = prediction if prediction is not None and 0 <= prediction <= 10_000_000 else None
        attempt.submitted_at = now
        attempt.save(update_fields=["answers", "score", "duration_ms", "status", "prediction", "submitted_at"])
    return attempt


def attempts_expire(*, now: dt.datetime | None = None) -> int:
    """Close the attempts left open past their limit (the participant never submitted): time ran out."""
    now = now or timezone.now()
    stale = Attempt.objects.filter(status=Attempt.Status.STARTED,
                                   deadline_at__lt=now - dt.timedelta(seconds=grace_seconds()))
    n = 0
    for attempt in stale.only("pk", "started_at", "deadline_at"):
        limit_ms = int((attempt.deadline_at - attempt.started_at).total_seconds() * 1000)
        n += Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.STARTED).update(
            status=Attempt.Status.EXPIRED, score=0, duration_ms=limit_ms, submitted_at=attempt.deadline_at)
    return n


# ---------------------------------------------------------------- winners, publication, outputs

@transaction.atomic
def winners_assign(*, user, round: Round, now: dt.datetime | None = None) -> list[Attempt]:
    """Give the round's prizes down the ranking: the first `count` of level 1, then level 2 …"""
    from .selectors import ranking

    now = now or timezone.now()
    if not round.has_closed(now):
        raise ContestError(_("Winners are assigned once the round has closed."))
    if round.results_published_at:
        raise ContestError(_("The results are published: the winners can no longer be changed."))
    attempts_expire(now=now)
    prizes = list(round.prizes.order_by("level"))
    if not prizes:
        raise ContestError(_("Set the round's prizes first (how many of each level)."))
    Attempt.objects.filter(round=round, prize__isnull=False).update(prize=None)
    wanted = sum(p.count for p in prizes)
    ranked = list(ranking(round).filter(score__gt=0)[:wanted])
    slots = [p for p in prizes for _i in range(p.count)]
    winners = []
    for attempt, prize in zip(ranked, slots):
        attempt.prize = prize
        winners.append(attempt)
    Attempt.objects.bulk_update(winners, ["prize"])
    Round.objects.filter(pk=round.pk).update(winners_assigned_at=now)
    round.winners_assigned_at = now
    audit.record(action="update", obj=round, actor=user,
                 after={"winners": [{"attempt": a.pk, "prize": a.prize.name} for a in winners]}, message="winners assigned")
    return winners


CONTEST_TYPES = ("contest", "contest_participation")


def _plan_link(unit: Unit, day: dt.date, output_type: str) -> tuple:
    """The task (and target) of the unit's issued plans that a contest's output serves, when exactly one
    task is about a contest ("Tổ chức Hội thi tìm hiểu về cải cách hành chính", "hưởng ứng Hội thi …");
    its target in people ("5.000 lượt người tham gia") for the participants, else the one compatible
    target; (None, None) otherwise."""
    from cchc.outputs.catalogue import compatible_codes, target_counts_people, type_for_target_unit, type_for_text
    from cchc.outputs.selectors import assigned_tasks, compatibility_table

    tasks = [t for t in assigned_tasks(unit)
             if (not t.plan.plan_year or t.plan.plan_year == day.year)
             and (type_for_text(t.title) in CONTEST_TYPES
                  or any(type_for_target_unit(x.unit) in CONTEST_TYPES for x in t.targets.all()))]
    if len(tasks) > 1:  # the organiser's plan holds the contest and the units' part in it: take its own
        other = next(code for code in CONTEST_TYPES if code != output_type)
        tasks = [t for t in tasks if not any(type_for_target_unit(x.unit) == other for x in t.targets.all())]
    if len(tasks) != 1:
        return None, None
    task = tasks[0]
    table = compatibility_table()
    targets = [t for t in task.targets.all()
               if (codes := compatible_codes(t.unit, table)) is None or output_type in codes]
    people = [t for t in targets if target_counts_people(t.unit)]
    if output_type == "contest_participation" and len(people) == 1:
        return task, people[0]
    return task, targets[0] if len(targets) == 1 else None


def _record(*, source_ref: str, unit: Unit, output_type: str, day: dt.date, quantity: int, people: int, title: str):
    from cchc.outputs.services import OutputError, output_record_from_source

    task, target = _plan_link(unit, day, output_type)
    values = dict(source=OUTPUT_SOURCE, source_ref=source_ref, unit=unit, output_type=output_type, date=day,
                  quantity=quantity, people_reached=people, title=title)
    try:
        with transaction.atomic():
            return output_record_from_source(**values, task=task, target=target)
    except OutputError:
        # the plan's task does not take this output (a closed plan, a target of another kind): it is
        # still counted for the unit, without the link
        return output_record_from_source(**values)


def round_record_outputs(round: Round) -> int:
    """Count the round where the plan looks: for each unit its participants ('Lượt người dự thi trực
    tuyến', one record per round and unit), and the round itself for the organiser ('Cuộc thi', with
    everyone who took part), each linked to the unit's plan task about a contest when there is exactly
    one. Idempotent: recording again brings the numbers up to date."""
    from .selectors import participation

    day = timezone.localtime(min(round.closes_at, timezone.now())).date()
    rows = participation(round)
    title = f"{round.contest.title} — {round.title}"
    for row in rows:
        _record(source_ref=f"round:{round.pk}:unit:{row['unit'].pk}", unit=row["unit"],
                output_type="contest_participation", day=day, quantity=row["count"], people=row["count"], title=title)
    total = sum(r["count"] for r in rows)
    _record(source_ref=f"round:{round.pk}", unit=round.contest.unit, output_type="contest", day=day, quantity=1,
            people=total, title=title)
    return len(rows)


@transaction.atomic
def results_publish(*, user, round: Round, now: dt.datetime | None = None) -> Round:
    now = now or timezone.now()
    if not round.has_closed(now):
        raise ContestError(_("The results are published once the round has closed."))
    if round.results_published_at:
        return round
    if round.prizes.exists() and not round.winners_assigned_at:
        raise ContestError(_("Assign the winners from the ranking before publishing the results."))
    attempts_expire(now=now)
    Round.objects.filter(pk=round.pk).update(results_published_at=now)
    round.results_published_at = now
    round_record_outputs(round)
    audit.record(action="update", obj=round, actor=user, after={"results_published_at": now}, message="results published")
    _forget_pages(round)
    return round


def _forget_pages(round: Round) -> None:
    from cchc.portal.sites import invalidate_unit

    unit = round.contest.unit
    transaction.on_commit(lambda: invalidate_unit(unit))


def erase_personal_data(*, now: dt.datetime | None = None) -> int:
    """Erase the names, phones and ID digits of the contests whose retention period has passed (counted
    from their last round's close); scores, times and units stay. Returns the attempts erased."""
    now = now or timezone.now()
    erased = 0
    for contest in Contest.objects.filter(personal_data_erased_at__isnull=True).annotate(last=Max("rounds__closes_at")):
        if contest.last is None or contest.last + dt.timedelta(days=contest.retention_days) > now:
            continue
        with transaction.atomic():
            n = Attempt.objects.filter(round__contest=contest, erased_at__isnull=True).update(
                name="", phone="", citizen_id_last="", start_token=None, erased_at=now)
            Contest.objects.filter(pk=contest.pk).update(personal_data_erased_at=now)
            audit.record(action="update", obj=contest, after={"personal_data_erased_at": now, "attempts": n},
                         message="personal data erased after the retention period")
            from cchc.portal.sites import invalidate_unit

            unit = contest.unit
            transaction.on_commit(lambda unit=unit: invalidate_unit(unit))  # published results show them masked
        erased += n
    return erased
