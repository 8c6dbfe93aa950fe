"""A province plan of the shared org tree, issued, with tasks for both communes and the department,
its Q1/H1/Q3/Y periods of 2026, and a helper to record outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans import services as plan_services
from cchc.plans.models import Plan, Target, Task
from cchc.reports import services


@dataclass
class World:
    tree: object
    plan: Plan
    news: Task
    classes: Task
    news_target: Target
    class_target: Target
    periods: dict

    def record(self, unit, date, quantity=1, *, target=None, people=None, output_type="portal_article"):
        target = target or self.news_target
        return OutputRecord.objects.create(
            unit=unit, task=target.task, target=target, output_type=OutputType.objects.get(code=output_type),
            date=date, quantity=Decimal(quantity), people_reached=people, title="Tin bài CCHC",
        )


@pytest.fixture
def world(org_tree):
    t = org_tree
    plan = plan_services.plan_create(
        user=t.supervisor, owner=t.province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        number="12/KH-UBND", plan_year=2026,
        reporting={"periods": ["Q1", "H1", "Q3", "Y"],
                   "deadlines": [{"period": "H1", "due": "2026-06-09", "text": "trước ngày 10 tháng 6"}],
                   "recipient": "Sở Nội vụ", "text": "Báo cáo định kỳ quý, 6 tháng, năm."},
    )
    news = plan_services.task_create(
        plan=plan, user=t.supervisor, title="Đăng tin, bài về CCHC trên trang thông tin điện tử",
        lead_units=[t.commune_a, t.commune_b, t.dept],
        targets=[{"quantity": 12, "unit": "tin, bài", "per": "year", "text": "12 tin, bài/năm"}],
    )
    classes = plan_services.task_create(
        plan=plan, user=t.supervisor, title="Mở lớp tập huấn nghiệp vụ CCHC", lead_units=[t.dept],
        targets=[{"quantity": 2, "unit": "lớp", "text": "02 lớp"}],
    )
    plan = plan_services.plan_issue(plan=plan, user=t.supervisor)
    periods = {p.code: p for p in services.periods_generate(plan=plan, user=t.supervisor)}
    return World(tree=t, plan=plan, news=news, classes=classes, news_target=news.targets.get(),
                 class_target=classes.targets.get(), periods=periods)


@pytest.fixture
def q1(world):
    return world.periods["Q1"]


def day(d: str) -> dt.date:
    return dt.datetime.strptime(d, "%d/%m/%Y").date()
