"""The import review page: agency phrases read on the plan's date and handed to today's units, groups
of units as one choice, what the reader said about the document, and a document that is no plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.documents import parse_text
from cchc.org.models import Membership, Unit
from cchc.plans import services
from cchc.plans.agencies import resolve_document
from cchc.plans.models import Assignment, Plan, PlanImport, Task
from tests.factories import MembershipFactory, UserFactory

from .conftest import SEED_001, SEED_004, login, small_document

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)
SEED_004_ISSUER = "Ủy ban nhân dân tỉnh Hà Giang"


def _draft(owner, user, parsed, resolutions=None) -> PlanImport:
    return PlanImport.objects.create(owner=owner, created_by=user, parsed=parsed,
                                     resolutions=resolutions if resolutions is not None
                                     else resolve_document(parsed, context=owner))


def _select(html: str, key: str) -> str:
    match = re.search(rf'<select name="u:{re.escape(key)}".*?</select>', html, re.S)
    assert match, key
    return match.group(0)


def _phrase_key(draft: PlanImport, text: str) -> str:
    for i, task in enumerate(draft.parsed["tasks"]):
        for role in ("lead", "support"):
            if text in task.get(role) or []:
                return f"{i}-{role}-{task[role].index(text)}"
    raise AssertionError(text)


# ---------------------------------------------------------------- a plan of 2023, today's units

@pytest.fixture
def tuyen_quang_supervisor(national_units):
    user = UserFactory(username="tq.giamsat")
    MembershipFactory(user=user, unit=Unit.objects.get(code="08"), role=Membership.Role.SUPERVISOR)
    return user


def test_a_2023_ha_giang_plan_in_todays_tuyen_quang_offers_the_communes_that_took_over_the_districts(
        client, tuyen_quang_supervisor):
    tuyen_quang = Unit.objects.get(code="08")
    parsed = parse_text(SEED_004.read_text(encoding="utf-8"))
    assert parsed["document"]["issuer"] == SEED_004_ISSUER
    parsed["tasks"].append(dict(parsed["tasks"][0], title="Tổ chức thực hiện kế hoạch ở cơ sở",
                                lead=["UBND các huyện, thành phố"], support=[]))
    draft = _draft(tuyen_quang, tuyen_quang_supervisor, parsed)
    districts = Unit.objects.filter(parent__code="old-02", kind__in=["district", "provincial_city", "town"])
    successors = set(Unit.objects.filter(parent__in=districts).values_list("successor", flat=True))
    all_communes = Unit.objects.filter(parent=tuyen_quang, kind__in=sorted(Unit.COMMUNE_KINDS)).count()
    assert len(districts) == 11 and 0 < len(successors) < all_communes

    login(client, tuyen_quang_supervisor)
    url = reverse("plans:import_review", args=[draft.pk])
    html = client.get(url).content.decode()
    key = _phrase_key(draft, "UBND các huyện, thành phố")
    select = _select(html, key)
    # One choice for the group, with its size; not a row or an option per commune.
    assert f'<option value="keep" selected>Commune People&#x27;s Committees on the ground of the districts named ({len(successors)})</option>' in select
    assert f'<option value="group:communes">Commune People&#x27;s Committees ({all_communes})</option>' in select
    assert html.count('data-phrase="') == sum(len(t.get("lead") or []) + len(t.get("support") or [])
                                               for t in parsed["tasks"])
    # What the plan named on its own date is shown beside it.
    assert "named on 19/12/2022: District People&#x27;s Committees (11)" in html

    response = client.post(url, {"action": "confirm"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    task = plan.tasks.get(title="Tổ chức thực hiện kế hoạch ở cơ sở")
    leads = task.assignments.filter(role=Assignment.Role.LEAD)
    assert set(leads.values_list("unit", flat=True)) == successors
    assert all(a.is_group and a.phrase == "UBND các huyện, thành phố" for a in leads)
    # Departments named in 2023 are today's: Sở Thông tin và Truyền thông became Sở Khoa học và Công nghệ.
    assert Assignment.objects.filter(task__plan=plan, phrase__startswith="Sở Thông tin và Truyền thông",
                                     unit__code="08.SKHCN").exists()
    assert not Assignment.objects.filter(task__plan=plan, unit__valid_to__isnull=False).exists()


def test_the_reviewer_gives_a_phrase_a_whole_group_in_one_choice(client, org_tree):
    draft = _draft(org_tree.province, org_tree.supervisor, small_document())
    login(client, org_tree.supervisor)
    url = reverse("plans:import_review", args=[draft.pk])
    select = _select(client.get(url).content.decode(), "2-lead-0")  # "Báo Xuân Hòa Thịnh Vượng", not matched
    assert '<option value="group:communes">Commune People&#x27;s Committees (2)</option>' in select

    response = client.post(url, {"u:2-lead-0": "group:communes", "action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    item = draft.resolutions["tasks"][2]["lead"][0]
    assert set(item["unit_ids"]) == {org_tree.commune_a.pk, org_tree.commune_b.pk} and item["is_group"]
    assert item["groups"] == [{"kind": "communes", "unit_ids": item["unit_ids"]}]
    assert AuditEvent.objects.filter(object_type="plans.planimport", message="agency phrases fixed").exists()

    client.post(url, {"action": "confirm"})
    task = Task.objects.get(title__startswith="Duy trì chuyên mục")
    assert set(task.assignments.filter(role="lead").values_list("unit", flat=True)) == {
        org_tree.commune_a.pk, org_tree.commune_b.pk}
    # A group the owner does not have is no choice: the phrase stays as it was.
    assert services.plan_import_fix(draft=_draft(org_tree.province, org_tree.supervisor, small_document()),
                                    user=org_tree.supervisor, choices={"2-lead-0": "group:districts"}
                                    ).resolutions["tasks"][2]["lead"][0]["unit_ids"] == []


def test_a_plan_of_a_unit_that_has_closed_keeps_the_units_of_its_date(national_units):
    ha_giang = Unit.objects.get(code="old-02")
    parsed = small_document(issuer=SEED_004_ISSUER, tasks=[
        {"title": "Tuyên truyền", "text": "", "forms": [], "lead": ["Sở Thông tin và Truyền thông"],
         "support": ["UBND các huyện, thành phố"], "timeframe": None, "targets": [], "funding": None, "section": None}])
    parsed["document"]["date"] = "2022-12-19"
    res = resolve_document(parsed, context=ha_giang, today=TODAY)["tasks"][0]
    assert [Unit.objects.get(pk=i).code for i in res["lead"][0]["unit_ids"]] == ["old-02.STTTT"]
    assert "named_ids" not in res["lead"][0]
    assert len(res["support"][0]["unit_ids"]) == 11
    # Kept by today's Tuyên Quang, the same plan falls to today's units.
    res = resolve_document(parsed, context=Unit.objects.get(code="08"), today=TODAY)["tasks"][0]
    assert [Unit.objects.get(pk=i).code for i in res["lead"][0]["unit_ids"]] == ["08.SKHCN"]
    assert [Unit.objects.get(pk=i).code for i in res["lead"][0]["named_ids"]] == ["old-02.STTTT"]


# ---------------------------------------------------------------- a commune's plan

def _seed_001_occurrences(parsed: dict, res: dict) -> list[tuple[str, dict]]:
    return [(text, item) for task, r in zip(parsed["tasks"], res["tasks"]) for role in ("lead", "support")
            for text, item in zip(task.get(role) or [], r[role])]


def test_seed_001_kept_by_todays_mo_duc_falls_to_its_divisions(national_units):
    mo_duc = Unit.objects.get(code="21400")
    parsed = parse_text(SEED_001.read_text(encoding="utf-8"))
    assert parsed["document"]["issuer"] == "Ủy ban nhân dân xã Đức Tân"
    res = resolve_document(parsed, context=mo_duc, today=TODAY)
    codes = {text: {Unit.objects.get(pk=i).code for i in item["unit_ids"]}
             for text, item in _seed_001_occurrences(parsed, res)}
    expected = {"Văn phòng – Thống kê xã": "21400.VP", "Văn hóa - Xã hội xã": "21400.VHXH",
                "Tư pháp- Hộ tịch xã": "21400.VP", "Tài chính- Kế toán xã": "21400.KT",
                "Văn hóa – Xã hội": "21400.VHXH", "Tài chính - Kế toán xã": "21400.KT"}
    for text, code in expected.items():
        assert codes[text] == {code}, text
    assert codes["Các ngành chuyên môn UBND xã"] >= {"21400.VP", "21400.KT", "21400.VHXH"}
    assert codes["các cơ quan, đơn vị có liên quan"] == set()


def test_seed_001_resolves_at_least_20_of_its_23_phrases_as_the_reader_gives_them(national_units):
    parsed = parse_text(SEED_001.read_text(encoding="utf-8"))
    res = resolve_document(parsed, context=Unit.objects.get(code="21400"), today=TODAY)
    occurrences = _seed_001_occurrences(parsed, res)
    assert len(occurrences) == 23
    assert sum(1 for _, item in occurrences if item["resolved"]) >= 20


# ---------------------------------------------------------------- what the reader said

NOT_A_PLAN = "Văn bản này là Nghị định, không phải kế hoạch. Kiểm tra lại văn bản, hoặc vẫn nhập các nhiệm vụ."


def _decree(tasks=None) -> dict:
    parsed = small_document(number="15/2026/NĐ-CP", issuer="Chính phủ", tasks=tasks)
    parsed["document"]["kind"] = "NĐ"
    parsed["diagnostics"] = [
        {"code": "unsplit_agencies", "severity": "info", "message": "Không tách được các cơ quan của nhiệm vụ X."},
        {"code": "not_a_plan", "severity": "warning", "message": NOT_A_PLAN},
        {"code": "stage_failed", "severity": "error", "message": "Không đọc được một phần văn bản (bảng nhiệm vụ)."},
    ]
    return parsed


def test_the_readers_findings_are_listed_above_the_tasks_warnings_styled(client, org_tree):
    draft = _draft(org_tree.province, org_tree.supervisor, _decree())
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:import_review", args=[draft.pk])).content.decode()
    findings = html.index('class="diagnostics"')
    assert findings < html.index("<table")
    assert re.search(r'<li class="message warning" data-code="not_a_plan">\s*<strong>Warning:</strong> '
                     + re.escape(NOT_A_PLAN), html)
    assert '<li class="message error" data-code="stage_failed">' in html
    assert '<li class="message info" data-code="unsplit_agencies">' in html
    # Most serious first.
    assert html.index('data-code="stage_failed"') < html.index('data-code="not_a_plan"') < html.index(
        'data-code="unsplit_agencies"')
    assert "Nghị định (NĐ)" in html and 'name="not_a_plan_ok"' in html


def test_a_document_that_is_no_plan_is_saved_only_when_the_user_says_to_go_on(client, org_tree):
    draft = _draft(org_tree.province, org_tree.supervisor, _decree())
    login(client, org_tree.supervisor)
    url = reverse("plans:import_review", args=[draft.pk])

    refused = client.post(url, {"action": "confirm", "u:2-lead-0": str(org_tree.dept.pk)}, follow=True)
    assert Plan.objects.count() == 0
    assert NOT_A_PLAN in refused.content.decode() and "Import it anyway" in refused.content.decode()
    assert refused.redirect_chain[-1][0] == url
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.PENDING  # nothing lost: the draft and the choice made are kept
    assert draft.resolutions["tasks"][2]["lead"][0]["unit_ids"] == [org_tree.dept.pk]

    response = client.post(url, {"action": "confirm", "not_a_plan_ok": "1"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.tasks.get(title__startswith="Duy trì").assignments.get(role="lead").unit == org_tree.dept


def test_a_plan_without_tasks_says_so_instead_of_an_empty_table(client, org_tree):
    parsed = small_document(tasks=[])
    parsed["diagnostics"] = [{"code": "no_tasks", "severity": "warning", "message": "Không tìm thấy nhiệm vụ nào."}]
    draft = _draft(org_tree.province, org_tree.supervisor, parsed)
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:import_review", args=[draft.pk])).content.decode()
    assert "No tasks were found in this document." in html and "<table" not in html
    assert 'data-code="no_tasks"' not in html  # said once, in place of the table


def test_a_draft_read_before_the_reader_gave_diagnostics_shows_as_before(client, org_tree):
    parsed = small_document()
    assert "diagnostics" not in parsed
    draft = _draft(org_tree.province, org_tree.supervisor, parsed)
    login(client, org_tree.supervisor)
    response = client.get(reverse("plans:import_review", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'class="diagnostics"' not in html and "<table" in html
    assert "Kế hoạch (KH)" in html
    assert client.post(reverse("plans:import_review", args=[draft.pk]), {"action": "confirm"}).status_code == 302
    assert Plan.objects.count() == 1


def test_the_vietnamese_page_names_the_groups_and_the_readers_findings_in_vietnamese(client, org_tree, settings):
    draft = _draft(org_tree.province, org_tree.supervisor, _decree())
    login(client, org_tree.supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("plans:import_review", args=[draft.pk])).content.decode()
    assert "UBND cấp xã (2)" in html and "Cảnh báo:" in html and NOT_A_PLAN in html
