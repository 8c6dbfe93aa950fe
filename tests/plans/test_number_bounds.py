"""The plan's number fields are bounded, with Vietnamese messages that name the limit (issue 9, point 6)."""

import pytest
from django.utils import translation

from cchc.org.models import Unit
from cchc.plans.forms import PlanForm, TaskForm, TrackForm


@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


def _task_form(plan, targets):
    return TaskForm({"title": "Tuyên truyền", "targets": targets}, plan=plan, units=Unit.objects.none())


@pytest.mark.parametrize("targets, message", [
    ("0 lớp", "“0 lớp”: Số lượng của chỉ tiêu phải lớn hơn 0."),
    ("99999999999 lượt người", "“99999999999 lượt người”: Số lượng của chỉ tiêu tối đa là 10.000.000."),
    ("150 %", "“150 %”: Tỷ lệ phần trăm tối đa là 100."),
])
def test_task_targets_are_bounded(issued_plan, vi, targets, message):
    form = _task_form(issued_plan, targets)
    assert not form.is_valid()
    assert form.errors["targets"] == [message]


def test_a_target_within_bounds_is_read(issued_plan, vi):
    form = _task_form(issued_plan, "10 lớp\n100.000 lượt người")
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value, message", [
    ("101", "Tiến độ (%) tối đa là 100."), ("-1", "Tiến độ (%) phải từ 0 trở lên."), ("5,5", "Tiến độ (%) phải là số nguyên."),
    ("tiến độ", "Tiến độ (%) phải là một số."),
])
def test_progress_is_a_percentage(vi, value, message):
    form = TrackForm({"status": "in_progress", "progress": value, "version": 1})
    assert not form.is_valid() and form.errors["progress"] == [message]
    assert " ." not in message


def test_plan_year_names_its_bounds(vi):
    form = PlanForm({"title": "Kế hoạch", "kind": "KH", "plan_year": "20250"})
    assert not form.is_valid() and form.errors["plan_year"] == ["Năm kế hoạch tối đa là 2100."]


def test_a_misread_target_number_never_reaches_the_database(issued_plan):
    from cchc.plans.services import _targets_from

    task = issued_plan.tasks.first()
    kept = _targets_from([{"quantity": "1e20", "unit": "lượt"}, {"quantity": 0, "unit": "lớp"},
                          {"quantity": "12", "unit": "bài", "per": "year"}], task)
    assert [(t.quantity, t.unit) for t in kept] == [(12, "bài")]
