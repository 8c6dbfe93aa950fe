"""The procedure catalogue end to end, as its users meet it.

The province's CCHC officer imports a real publication decision (Quyết định 2666/QĐ-UBND of Cần Thơ: one
procedure amended, three abolished), reads the review — the amended one matched to the catalogue's entry
with what changes, the abolished ones matched by name — and applies it once, with a double click. A
citizen on a phone then finds the amended procedure on the province's public site by typing its name
without accents, while the abolished ones are gone from the list and their pages say which decision
abolished them. The output "Cập nhật, công khai TTHC" is counted once for the province.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.outputs.models import OutputRecord
from cchc.portal.models import PublicSite
from cchc.procedures import services
from cchc.procedures.models import Decision, Procedure
from tests.browser.accessibility import serious_violations
from tests.browser.sessions import log_in
from tests.factories import make_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECISION = Path(__file__).resolve().parents[1] / "data" / "procedures" / "docs" / "036bd85f1f56f768.md"
AMENDED = "Cấp chứng chỉ nghiệp vụ chuyên môn về đấu thầu"
ABOLISHED = ("Cấp lại chứng chỉ nghiệp vụ chuyên môn về đấu thầu", "Gia hạn chứng chỉ nghiệp vụ chuyên môn về đấu thầu",
             "Thu hồi chứng chỉ nghiệp vụ chuyên môn về đấu thầu")


def test_a_decision_is_imported_reviewed_applied_and_a_citizen_finds_its_procedure_on_a_phone(
        live_server, browser, tmp_path, settings, output_catalogue):
    settings.MEDIA_ROOT = tmp_path / "media"
    tree = make_org_tree()
    PublicSite.objects.create(unit=tree.province, slug="tuyen-quang", title="Chuyên trang Cải cách hành chính tỉnh Tuyên Quang")
    # the catalogue before: the bidding certificates, as an earlier decision published them
    for name in (AMENDED, *ABOLISHED):
        services.procedure_create(unit=tree.province, user=tree.supervisor, name=name, field="Đấu thầu",
                                  time_limit="20 ngày làm việc", fee="Không")
    base = live_server.url

    # 1. The officer uploads the decision and reads the review.
    officer = log_in(browser, base, "giamsat", tree.password)
    officer.goto(f"{base}/thu-tuc/don-vi/{tree.province.code}/nhap-quyet-dinh/")
    officer.locator("main form input[type=file]").set_input_files(str(DECISION))
    officer.locator("main form button[type=submit]").click()
    expect(officer.locator("#review-summary")).to_be_visible()
    expect(officer.locator("#review-summary [data-group=amended]")).to_have_text("1")
    expect(officer.locator("#review-summary [data-group=abolished]")).to_have_text("3")
    amended = officer.locator("#group-amended .review-row").first
    expect(amended).to_contain_text(AMENDED)
    expect(amended.locator(".diff")).to_contain_text("15 (mười lăm) ngày làm việc")  # the time limit changes
    officer.screenshot(path=str(tmp_path / "procedures-review-1280.png"), full_page=True)
    officer.set_viewport_size({"width": 390, "height": 844})  # the same review on a phone
    assert officer.evaluate("document.documentElement.scrollWidth") <= 391, "the review scrolls sideways on a phone"
    officer.screenshot(path=str(tmp_path / "procedures-review-390.png"), full_page=True)
    officer.set_viewport_size({"width": 1280, "height": 900})

    # 2. A double click on "apply" applies it once.
    officer.locator("#apply").dblclick()
    expect(officer.locator(".message.success").first).to_be_visible()
    officer.screenshot(path=str(tmp_path / "procedures-applied-1280.png"), full_page=True)
    decision = Decision.objects.get(number="2666/QĐ-UBND")
    assert decision.status == Decision.Status.APPLIED
    assert Decision.objects.filter(status=Decision.Status.APPLIED).count() == 1
    entry = Procedure.objects.get(name=AMENDED)
    assert entry.status == Procedure.Status.ACTIVE and entry.time_limit_days == 15 and entry.last_decision == decision
    for name in ABOLISHED:
        gone = Procedure.objects.get(name=name)
        assert gone.status == Procedure.Status.ABOLISHED and gone.abolished_by == decision
    outputs = OutputRecord.objects.filter(unit=tree.province, output_type__code="procedure_update")
    assert outputs.count() == 1 and "2666/QĐ-UBND" in outputs.get().title

    # 3. A citizen on a phone finds the amended procedure without typing accents; the abolished are gone.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    citizen = context.new_page()
    citizen.goto(f"{base}/cong/tuyen-quang/thu-tuc/")
    citizen.get_by_label("Tên hoặc mã thủ tục").fill("chung chi nghiep vu chuyen mon dau thau")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    results = citizen.locator(".proc-list")
    expect(results).to_contain_text(AMENDED)
    for name in ABOLISHED:
        expect(results).not_to_contain_text(name)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 391, "the results scroll sideways"
    citizen.screenshot(path=str(tmp_path / "procedures-citizen-search-390.png"), full_page=True)
    problems = {"search": serious_violations(citizen)}
    citizen.locator(".proc-item").filter(has_text=AMENDED).get_by_role("link").first.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(AMENDED)
    expect(citizen.locator(".proc-facts")).to_contain_text("Trung tâm phục vụ hành chính công thành phố")
    expect(citizen.locator("main")).to_contain_text("2666/QĐ-UBND")
    # a petition about it starts from its page, the procedure already named
    expect(citizen.locator(".proc-feedback a")).to_have_attribute(
        "href", f"/cong/tuyen-quang/phan-anh-kien-nghi/gui/?thu-tuc={entry.pk}")
    problems["page"] = serious_violations(citizen)
    # an abolished one keeps its page, which says since when and by which decision
    citizen.goto(f"{base}/cong/tuyen-quang/thu-tuc/{Procedure.objects.get(name=ABOLISHED[1]).pk}/")
    expect(citizen.locator(".proc-abolished")).to_contain_text("2666/QĐ-UBND")
    citizen.screenshot(path=str(tmp_path / "procedures-citizen-abolished-390.png"), full_page=True)
    assert not any(problems.values()), problems
    context.close()
