"""Applying a publication decision to a unit's catalogue: matching (code, then folded fuzzy name), the
groups of the review, the changes written in one transaction with their history and audit, the output
counted once, the same decision refused a second time, abolished entries, and the reviewer's choices."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.models import AuditEvent
from cchc.outputs.models import OutputRecord
from cchc.procedures import selectors, services
from cchc.procedures.models import Change, Decision, Procedure, ProcedureChange

from .conftest import make_decision, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_setup")]


@pytest.fixture(autouse=True)
def _english_messages(english):
    """Messages are asserted on their English source text."""


def _entry(unit, name, code="", field="Hộ tịch", level="commune", **extra) -> Procedure:
    p = Procedure(unit=unit, name=name, code=code, field=field, level=level, **extra)
    p.search_text = services.procedure_search_text(p)
    p.save()
    return p


@pytest.fixture
def catalogue(org_tree):
    unit = org_tree.province
    return {
        "birth": _entry(unit, "Đăng ký khai sinh", "1.001193.000.00.00.H62", time_limit="Ngay trong ngày"),
        "marriage": _entry(unit, "Đăng ký kết hôn", "1.000894"),
        "death": _entry(unit, "Đăng ký khai tử", "1.000656"),
        "guardian": _entry(unit, "Đăng ký giám hộ", ""),
        "other_level": _entry(unit, "Đăng ký giám hộ", "", level="province", field="Hộ tịch"),
    }


def test_search_text_folds_name_code_field_and_agency(org_tree):
    p = Procedure(unit=org_tree.province, name="Đăng ký khai sinh", code="1.001193", field="Hộ tịch",
                  agency="UBND cấp xã")
    assert services.procedure_search_text(p) == "dang ky khai sinh 1.001193 ho tich ubnd cap xa"


def test_rows_are_matched_by_code_then_by_folded_name(org_tree, catalogue):
    decision = make_decision(org_tree.province, org_tree.supervisor, [
        row("Thủ tục đăng ký khai sinh (sửa đổi)", "amended", code="1.001193.H62", days=3),  # same national code
        row("Dang ky ket hon", "amended"),  # no code, name without accents
        row("Đăng ký giám hộ", "abolished"),  # two entries of that name: the commune one (same level)
        row("Đăng ký nhận cha, mẹ, con", "amended"),  # nothing like it
        row("Đăng ký khai tử", "new", code="1.000656"),  # listed as new, but the code is there
        row("Đăng ký khai sinh lưu động", "new"),  # new without code: never matched by name
        row("Đăng ký lại khai sinh", "unchanged"),  # listed again, not in the catalogue
    ])
    rows = selectors.review_rows(decision)
    by = {r.index: r for r in rows}
    assert (by[0].group, by[0].how, by[0].procedure_id) == ("amended", "code", catalogue["birth"].pk)
    assert [c["field"] for c in by[0].changes] == ["name", "code", "time_limit", "time_limit_days", "working_days"]
    assert (by[1].group, by[1].how, by[1].procedure_id) == ("amended", "name", catalogue["marriage"].pk)
    assert (by[2].group, by[2].procedure_id) == ("abolished", catalogue["guardian"].pk)
    assert (by[3].group, by[3].action) == ("unmatched", "create")
    assert (by[4].group, by[4].action, by[4].already) == ("amended", "update", True)
    assert (by[5].group, by[5].action) == ("new", "create")
    assert (by[6].group, by[6].action) == ("unmatched", "create")
    assert selectors.review_summary(rows)["unmatched"] == 2


def test_fuzzy_name_prefers_same_field_and_level(org_tree):
    unit = org_tree.province
    _entry(unit, "Cấp giấy phép xây dựng nhà ở riêng lẻ", field="Xây dựng", level="province")
    commune = _entry(unit, "Cấp giấy phép xây dựng nhà ở riêng lẻ", field="Xây dựng", level="commune")
    decision = make_decision(unit, org_tree.supervisor, [
        row("Cấp giấy phép xây dựng đối với nhà ở riêng lẻ", "amended", field="Xây dựng", level="commune")])
    (r,) = selectors.review_rows(decision)
    assert r.procedure_id == commune.pk and r.how == "name" and r.score >= selectors.NAME_SCORE


def test_apply_writes_entries_history_audit_and_one_output(org_tree, catalogue):
    user = org_tree.supervisor
    decision = make_decision(org_tree.province, user, [
        row("Đăng ký khai sinh", "amended", code="1.001193", days=3, fee="Không thu phí", basis=["Luật Hộ tịch 2014"]),
        row("Đăng ký khai tử", "abolished", code="1.000656"),
        row("Đăng ký khai sinh lưu động", "new", code="1.999999", days=5),
        row("Đăng ký kết hôn", "unchanged", code="1.000894", place="UBND cấp xã"),
    ])
    services.decision_apply(decision=decision, user=user)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPLIED and decision.applied_by == user
    assert decision.summary == {"new": 1, "amended": 1, "replaced": 0, "abolished": 1, "unchanged": 1, "skipped": 0}

    birth = Procedure.objects.get(pk=catalogue["birth"].pk)
    assert (birth.time_limit_days, birth.fee_free, birth.legal_basis) == (3, True, ["Luật Hộ tịch 2014"])
    assert birth.last_decision == decision and birth.changed_on == dt.date(2025, 12, 4)
    assert birth.code == "1.001193"  # the decision's code replaces the longer one
    change = ProcedureChange.objects.get(procedure=birth)
    assert change.kind == Change.AMENDED and change.before["time_limit"] == "Ngay trong ngày"
    assert change.before["code"] == "1.001193.000.00.00.H62"

    death = Procedure.objects.get(pk=catalogue["death"].pk)
    assert death.status == Procedure.Status.ABOLISHED
    assert (death.abolished_by, death.abolished_on) == (decision, dt.date(2025, 12, 4))

    new = Procedure.objects.get(code="1.999999")
    assert new.introduced_by == decision and new.unit == org_tree.province
    assert new.search_text == "dang ky khai sinh luu dong 1.999999 ho tich"

    marriage = Procedure.objects.get(pk=catalogue["marriage"].pk)
    assert marriage.place == "UBND cấp xã"  # listed again: what it lacked is filled in
    assert ProcedureChange.objects.filter(decision=decision).count() == 4

    audited = AuditEvent.objects.filter(object_type="procedures.procedure").values_list("object_id", flat=True)
    assert {str(birth.pk), str(death.pk), str(new.pk), str(marriage.pk)} <= set(audited)
    assert AuditEvent.objects.filter(object_type="procedures.decision", message="decision applied").count() == 1

    output = OutputRecord.objects.get(source=services.OUTPUT_SOURCE)
    assert output.unit == org_tree.province and output.output_type.code == "procedure_update"
    assert output.quantity == 1 and output.source_ref == str(decision.pk)
    assert "4 TTHC" in output.title and "2666/QĐ-UBND" in output.title


def test_the_same_decision_is_applied_once(org_tree, catalogue):
    user = org_tree.supervisor
    first = make_decision(org_tree.province, user, [row("Đăng ký khai tử", "abolished", code="1.000656")])
    services.decision_apply(decision=first, user=user)
    with pytest.raises(services.ProcedureError, match="already applied"):
        services.decision_apply(decision=first, user=user)
    copy = make_decision(org_tree.province, user, [row("Đăng ký khai tử", "abolished", code="1.000656")])
    with pytest.raises(services.AlreadyApplied, match="2666/QĐ-UBND was already applied"):
        services.decision_apply(decision=copy, user=user)
    copy.refresh_from_db()
    assert copy.status == Decision.Status.REVIEW
    assert OutputRecord.objects.filter(source=services.OUTPUT_SOURCE).count() == 1
    assert ProcedureChange.objects.count() == 1
    # another catalogue may apply the same decision
    other = make_decision(org_tree.other_province, user, [row("Đăng ký khai tử", "new", code="1.000656")])
    services.decision_apply(decision=other, user=user)
    assert OutputRecord.objects.filter(source=services.OUTPUT_SOURCE).count() == 2


def test_a_failure_midway_leaves_nothing(org_tree, catalogue, monkeypatch):
    user = org_tree.supervisor
    decision = make_decision(org_tree.province, user, [
        row("Đăng ký khai sinh", "amended", code="1.001193", days=3), row("Đăng ký khai tử", "abolished", code="1.000656")])

    def broken(*args, **kwargs):
        raise RuntimeError("output store down")

    monkeypatch.setattr(services, "_record_output", broken)
    with pytest.raises(RuntimeError):
        services.decision_apply(decision=decision, user=user)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REVIEW
    assert Procedure.objects.get(pk=catalogue["death"].pk).status == Procedure.Status.ACTIVE
    assert Procedure.objects.get(pk=catalogue["birth"].pk).time_limit_days is None
    assert not ProcedureChange.objects.exists()


def test_reviewer_choices_match_create_skip(org_tree, catalogue):
    user = org_tree.supervisor
    decision = make_decision(org_tree.province, user, [
        row("Đăng ký việc nhận cha mẹ con", "amended"),
        row("Thủ tục không có trong danh mục", "abolished"),
        row("Một thủ tục mới", "new"),
    ])
    decision = services.decision_resolve(decision=decision, user=user, choices={
        "0": "match:1.000894", "1": "skip", "2": "skip", "99": "create", "x": "skip"})
    rows = {r.index: r for r in selectors.review_rows(decision)}
    assert (rows[0].procedure_id, rows[0].how, rows[0].group) == (catalogue["marriage"].pk, "chosen", "amended")
    assert rows[1].group == rows[2].group == "skipped"
    decision = services.decision_resolve(decision=decision, user=user, choices={"2": "keep", "0": f"match:#{catalogue['death'].pk}"})
    rows = {r.index: r for r in selectors.review_rows(decision)}
    assert rows[2].group == "new" and rows[0].procedure_id == catalogue["death"].pk
    services.decision_apply(decision=decision, user=user)
    decision.refresh_from_db()
    assert decision.summary["skipped"] == 1 and decision.summary["new"] == 1 and decision.summary["amended"] == 1
    assert Procedure.objects.get(pk=catalogue["death"].pk).name == "Đăng ký việc nhận cha mẹ con"


def test_discard_and_identity(org_tree):
    user = org_tree.supervisor
    decision = make_decision(org_tree.province, user, [row("Một thủ tục", "new")], number=None, date=None)
    services.decision_set_identity(decision=decision, user=user, number="12 /QĐ-UBND", date=dt.date(2025, 3, 1),
                                   issuer="UBND tỉnh", title="Công bố")
    decision.refresh_from_db()
    assert decision.number == "12/QĐ-UBND" and decision.date == dt.date(2025, 3, 1)
    services.decision_discard(decision=decision, user=user)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DISCARDED
    with pytest.raises(services.ProcedureError):
        services.decision_apply(decision=decision, user=user)
    assert not Procedure.objects.exists()


def test_officer_edit_is_audited_and_in_history(org_tree, catalogue):
    user = org_tree.supervisor
    p = catalogue["birth"]
    services.procedure_update(procedure=p, user=user, agency="UBND cấp xã", online_level="full", postal=True)
    p.refresh_from_db()
    assert p.agency == "UBND cấp xã" and p.search_text.endswith("ubnd cap xa")
    change = ProcedureChange.objects.get(procedure=p)
    assert change.kind == Change.EDITED and change.before == {"agency": "", "online_level": "", "postal": False}
    assert AuditEvent.objects.filter(object_type="procedures.procedure", object_id=str(p.pk), action="update").exists()
    services.procedure_update(procedure=p, user=user, agency="UBND cấp xã")  # nothing differs: nothing written
    assert ProcedureChange.objects.filter(procedure=p).count() == 1
    services.procedure_update(procedure=p, user=user, status="abolished")
    p.refresh_from_db()
    assert p.status == "abolished" and p.abolished_on is not None


def test_output_serves_the_plan_task_about_updating_procedures(org_tree, catalogue):
    from cchc.plans.models import Plan, Task

    unit = org_tree.province
    plan = Plan.objects.create(owner=unit, title="Kế hoạch tuyên truyền CCHC", plan_year=dt.date.today().year,
                               issued_at=dt.datetime.now(dt.timezone.utc))
    task = Task.objects.create(plan=plan, title="Rà soát, cập nhật các thủ tục hành chính trên Trang, Cổng thông tin "
                                                "điện tử", order=1)
    Task.objects.create(plan=plan, title="Tổ chức lớp tập huấn nghiệp vụ", order=2)
    decision = make_decision(unit, org_tree.supervisor, [row("Đăng ký khai tử", "abolished", code="1.000656")])
    services.decision_apply(decision=decision, user=org_tree.supervisor)
    output = OutputRecord.objects.get(source=services.OUTPUT_SOURCE)
    assert output.task == task


def test_report_stats_list_the_decisions_applied(org_tree, catalogue):
    from cchc.core import registry

    decision = make_decision(org_tree.province, org_tree.supervisor, [row("Đăng ký khai tử", "abolished",
                                                                           code="1.000656")])
    services.decision_apply(decision=decision, user=org_tree.supervisor)
    today = dt.date.today()
    provider = registry.stats_providers.get("procedures.decisions")
    (found,) = provider.stats(unit_paths=[org_tree.province.path], start=today - dt.timedelta(days=5), end=today)
    assert "2666/QĐ-UBND" in found["value"] and found["value"].startswith("1:")
    assert provider.stats(unit_paths=[org_tree.other_province.path], start=today, end=today) == []
    assert provider.stats(unit_paths=[org_tree.province.path], start=today - dt.timedelta(days=30),
                          end=today - dt.timedelta(days=1)) == []
