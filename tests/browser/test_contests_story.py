"""A knowledge contest end to end, as its users meet it.

The province's CCHC officer creates a contest, imports 50 questions from an .xlsx, opens a round of
10 questions in 5 minutes. A participant on a phone (390 px) opens the round from the public site,
finds her commune by typing its name without accents, answers in time and sees her score and the
explanations; coming back with the same CCCD she is refused a second attempt. Others take part from
two units. Once the round has closed, the officer sets the prizes, assigns the winners from the
ranking and publishes: the public results rank her first and count the participants per unit, names
and phones masked; the participants per unit are recorded as outputs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from cchc.contests import services
from cchc.contests.models import Attempt, Contest, Question, Round
from cchc.outputs.models import OutputRecord
from cchc.portal.models import PublicSite
from tests.browser.accessibility import serious_violations
from tests.browser.sessions import log_in
from tests.contests.helpers import bank_rows, xlsx
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CCCD = "038190001234"


def _others(rnd, tree):
    """Three more participants: two from Phường Hà Giang 1 and one more from Xã Đồng Văn, each with
    some wrong answers."""
    for i, (name, unit, wrong) in enumerate([("Trần Văn An", tree.commune_a, 2), ("Lê Thị Bình", tree.commune_a, 4),
                                             ("Phạm Minh Châu", tree.commune_b, 1)]):
        attempt = services.attempt_start(round=rnd, name=name, phone=f"09123456{i:02d}", citizen_id=f"00119000000{i}",
                                         unit=unit)
        questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
        answers = {str(pk): ([3] if n < wrong else questions[pk].correct) for n, pk in enumerate(attempt.question_ids)}
        services.attempt_submit(attempt=attempt, answers=answers, prediction=10,
                                now=attempt.started_at + dt.timedelta(seconds=60))


def test_an_organiser_runs_a_round_and_a_participant_on_a_phone_takes_part_once(
        live_server, browser, tmp_path, settings, output_catalogue):
    settings.MEDIA_ROOT = tmp_path / "media"
    tree = make_org_tree()
    PublicSite.objects.create(unit=tree.province, slug="tuyen-quang", title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang")
    base = live_server.url
    bank = tmp_path / "ngan-hang-50-cau.xlsx"
    bank.write_bytes(xlsx(bank_rows(50)).read())

    # 1. The organiser creates the contest, imports 50 questions and opens a round.
    officer = log_in(browser, base, "giamsat", tree.password)
    officer.goto(f"{base}/hoi-thi/moi/")
    officer.get_by_label("Tên cuộc thi").fill("Hội thi tìm hiểu về cải cách hành chính năm 2026")
    officer.get_by_role("button", name="Lưu").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Hội thi tìm hiểu về cải cách hành chính năm 2026")
    officer.locator("#import-link").click()
    officer.locator("main form input[type=file]").set_input_files(str(bank))
    officer.locator("#import-submit").click()
    expect(officer.locator("#question-count")).to_have_text("(50)")
    expect(officer.locator(".message.success").first).to_contain_text("50")
    officer.locator("#add-round").click()
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    officer.get_by_label("Mở lúc").fill((now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_label("Đóng lúc").fill((now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_label("Số câu hỏi rút ngẫu nhiên mỗi lượt thi").fill("10")
    officer.get_by_label("Thời gian làm bài (phút)").fill("5")
    officer.get_by_role("button", name="Lưu").click()
    expect(officer.locator("#round-facts")).to_contain_text("đang mở")
    rnd = Round.objects.get()
    assert Contest.objects.get().questions.count() == 50 and rnd.questions_per_attempt == 10
    officer.screenshot(path=str(tmp_path / "contests-round-staff-1280.png"), full_page=True)

    # 2. A participant on a phone picks her commune typing without accents, answers and submits.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.set_default_timeout(15_000)
    citizen = context.new_page()
    citizen.goto(f"{base}/cong/tuyen-quang/hoi-thi/")
    problems = {"list": serious_violations(citizen)}
    citizen.get_by_role("link", name="Tham gia dự thi").click()
    citizen.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    citizen.get_by_label("Số điện thoại di động").fill("0912 345 678")
    citizen.get_by_label("Số căn cước công dân (CCCD, 12 số)").fill(CCCD)
    citizen.locator("#unit-filter").fill("dong van")
    expect(citizen.locator("#id_unit option:not([hidden])")).to_have_count(1)
    expect(citizen.locator("#id_unit")).to_have_value(str(tree.commune_b.pk))
    citizen.locator("#id_consent").check()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 391, "the round page scrolls sideways"
    citizen.screenshot(path=str(tmp_path / "contests-start-390.png"), full_page=True)
    problems["start"] = serious_violations(citizen)
    citizen.locator("#start").click()
    expect(citizen.locator(".ct-question")).to_have_count(10)
    attempt = Attempt.objects.get()
    assert attempt.unit == tree.commune_b and attempt.citizen_id_last == "1234" and CCCD not in attempt.person_key
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    for n, pk in enumerate(attempt.question_ids, start=1):
        for index in questions[pk].correct:
            citizen.locator(f"#q-{n} input[value='{index}']").check()
    citizen.get_by_label("Dự đoán có bao nhiêu người tham gia đợt thi này?").fill("4")
    expect(citizen.locator("#time-left")).to_contain_text(":")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 391, "the attempt scrolls sideways"
    citizen.screenshot(path=str(tmp_path / "contests-attempt-390.png"), full_page=True)
    problems["attempt"] = serious_violations(citizen)
    citizen.locator("#submit").click()
    expect(citizen.locator("#score")).to_have_text("10")
    expect(citizen.locator("#score-box")).to_contain_text("Nguyễn T. L.")
    expect(citizen.locator("#key-later")).to_be_visible()  # the key waits for the round to close
    expect(citizen.locator("main")).not_to_contain_text("Giải thích câu")
    citizen.screenshot(path=str(tmp_path / "contests-result-390.png"), full_page=True)
    problems["result"] = serious_violations(citizen)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 10 and attempt.duration_ms < 300_000

    # 3. Coming back with the same CCCD: refused.
    citizen.goto(f"{base}/cong/tuyen-quang/hoi-thi/{rnd.pk}/")
    citizen.get_by_label("Họ và tên").fill("Lan Nguyễn")
    citizen.get_by_label("Số điện thoại di động").fill("0987 654 321")
    citizen.get_by_label("Số căn cước công dân (CCCD, 12 số)").fill(CCCD)
    citizen.locator("#unit-filter").fill("ha giang")
    citizen.locator("#id_unit").select_option(str(tree.commune_a.pk))
    citizen.locator("#id_consent").check()
    citizen.locator("#start").click()
    expect(citizen.locator("#ct-errors")).to_contain_text("chỉ được dự thi một lần")
    citizen.screenshot(path=str(tmp_path / "contests-refused-390.png"), full_page=True)
    assert Attempt.objects.count() == 1

    # 4. Others take part; the round closes; prizes, winners, publication.
    _others(rnd, tree)
    Round.objects.filter(pk=rnd.pk).update(closes_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
    officer.goto(f"{base}/hoi-thi/dot-thi/{rnd.pk}/")
    officer.locator("#id_count_0").fill("1")
    officer.locator("#id_count_1").fill("1")
    officer.get_by_role("button", name="Lưu cơ cấu giải").click()
    officer.locator("#assign-winners").click()
    expect(officer.locator(".message.success").first).to_contain_text("2")
    officer.locator("#publish").click()
    expect(officer.locator(".message.success").first).to_be_visible()
    ranking = officer.locator("#ranking tbody tr")
    expect(ranking).to_have_count(4)
    expect(ranking.first).to_contain_text("Nguyễn Thị Lan")
    expect(ranking.first).to_contain_text("Giải Nhất")
    officer.screenshot(path=str(tmp_path / "contests-published-staff-1280.png"), full_page=True)

    citizen.goto(f"{base}/cong/tuyen-quang/hoi-thi/{rnd.pk}/ket-qua/")
    winners = citizen.locator("#winners tbody tr")
    expect(winners).to_have_count(2)
    expect(winners.first).to_contain_text("Nguyễn T. L.")
    expect(winners.first).to_contain_text("091****678")
    expect(winners.nth(1)).to_contain_text("Phạm M. C.")
    units = citizen.locator("#participation tbody tr")
    expect(units.first).to_contain_text("Phường Hà Giang 1")  # 2 each: Vietnamese order breaks the tie
    expect(units.first).to_contain_text("2")
    expect(units.nth(1)).to_contain_text("Xã Đồng Văn")
    expect(citizen.locator("main")).not_to_contain_text("Nguyễn Thị Lan")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 391, "the results scroll sideways"
    citizen.screenshot(path=str(tmp_path / "contests-results-390.png"), full_page=True)
    problems["results"] = serious_violations(citizen)
    assert not any(problems.values()), problems
    context.close()

    outputs = {r.unit.name: (r.quantity, r.people_reached) for r in
               OutputRecord.objects.filter(output_type__code="contest_participation").select_related("unit")}
    assert outputs == {"Phường Hà Giang 1": (2, 2), "Xã Đồng Văn": (2, 2)}
