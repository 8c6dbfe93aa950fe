"""The plan loop in headless Chromium: import seed 004 with review, issue, cascade, track, export.

Selectors use the pages' structure (form actions, field names), not their wording, so the test
holds whatever the Vietnamese catalogue says.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.factories import make_org_tree
from tests.public_documents import SEED_004

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base_url, username, password):
    page.context.clear_cookies()
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def test_import_review_issue_cascade_track_export(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from cchc.documents import parse_text
    from cchc.documents.reader import parse_file
    from cchc.plans.models import Plan, Task, TaskEvidence

    tree = make_org_tree()
    expected = parse_text(SEED_004.read_text(encoding="utf-8"))
    base = live_server.url

    # The supervisor uploads seed 004 and lands on the review page; nothing is saved yet.
    log_in(page, base, "giamsat", tree.password)
    page.goto(f"{base}/ke-hoach/nhap/")
    page.locator("select[name=owner]").select_option(str(tree.province.pk))
    page.locator("input[name=file]").set_input_files(str(SEED_004))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("button[name=action][value=confirm]")).to_be_visible()
    assert Plan.objects.count() == 0
    # One unresolved agency is fixed with the picker (typing in its search box narrows the list).
    flagged = page.locator(".attention select")
    assert flagged.count() > 0
    first = page.locator(".attention").first
    phrase_key = first.get_attribute("data-phrase")
    first.locator("input[type=search]").fill("noi vu")
    first.locator("select").select_option(str(tree.dept.pk))
    page.locator("button[name=action][value=confirm]").click()

    # The plan page lists every task.
    page.wait_for_url(f"{base}/ke-hoach/*/")
    plan = Plan.objects.get()
    assert plan.tasks.count() == len(expected["tasks"])
    expect(page.locator('table a[href*="/ke-hoach/nhiem-vu/"]:not([href$="/sua/"])')).to_have_count(len(expected["tasks"]))
    index, role, k = phrase_key.split("-")
    fixed = Task.objects.get(plan=plan, order=int(index) + 1).assignments.filter(role=role, unit=tree.dept)
    assert fixed.exists()
    page.locator('form[action$="/ban-hanh/"] button').click()
    # issuing shows who receives the plan, then issues on confirmation
    expect(page.locator("#issue-recipients")).to_be_visible()
    page.locator("#confirm-issue").click()
    expect(page.locator('form[action$="/ket-thuc/"] button')).to_be_visible()

    # The department officer makes the department's plan in one step.
    log_in(page, base, "snv.canbo", tree.password)
    page.goto(f"{base}/ke-hoach/{plan.pk}/")
    page.locator(f'form[action$="/ke-hoach-con/"]:has(input[value="{tree.dept.pk}"]) button, '
                 f'a[href$="/ke-hoach-con/?unit={tree.dept.pk}"]').click()
    # ... choosing its tasks: those it leads are chosen already
    page.locator("#derive-create").click()
    page.wait_for_url(f"{base}/ke-hoach/*/")
    child = Plan.objects.get(parent=plan, owner=tree.dept)
    led = Task.objects.filter(plan=plan, assignments__unit=tree.dept, assignments__role="lead").distinct().count()
    assert child.tasks.count() == led > 0

    # ... marks a task done with an evidence file.
    page.locator('table a[href*="/ke-hoach/nhiem-vu/"]:not([href$="/sua/"])').first.click()
    page.locator("select[name=status]").select_option("done")
    page.locator("input[name=progress]").fill("100")
    page.locator("form:has(select[name=status]) button[type=submit]").click()
    evidence = tmp_path / "bien-ban-tap-huan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bien ban\n")
    page.locator("input[name=file]").set_input_files(str(evidence))
    page.locator('form[action$="/minh-chung/"] button[type=submit]').click()
    expect(page.locator('a[href*="/ke-hoach/minh-chung/"]')).to_have_text("bien-ban-tap-huan.pdf")
    done = child.tasks.get(order=1)
    assert done.status == "done" and done.progress == 100 and TaskEvidence.objects.filter(task=done).count() == 1

    # ... and downloads the province plan as .docx, which parses back to the same tasks.
    page.goto(f"{base}/ke-hoach/{plan.pk}/")
    with page.expect_download() as info:
        page.locator('a[href$="/tai-ve/docx/"]').click()
    path = tmp_path / "export.docx"
    info.value.save_as(path)
    back = parse_file(path)
    fold = lambda s: " ".join(s.split()).casefold()  # noqa: E731
    assert [fold(t["title"]) for t in back["tasks"]] == [fold(t.title) for t in plan.tasks.order_by("order")]
