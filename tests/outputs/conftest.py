"""Fixtures for the outputs tests: uploads in a temporary folder, English messages, a cascaded plan,
and a portal module that exists only here ("tests.news"), registered as an output source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted on their English source text, whatever the Vietnamese catalogue holds."""


@dataclass
class Cascade:
    plan: object  # the province plan
    training: object  # task: 2 lớp, 80 người (commune A and B)
    classes: object  # target "2 lớp"
    people: object  # target "80 người"
    news: object  # task: 4 tin, bài per month (commune A)
    news_target: object
    child: object  # commune A's plan
    child_training: object
    child_classes: object
    child_people: object
    grandchild_classes: object  # the copy in the plan of commune A's sub-unit


@pytest.fixture
def cascade(org_tree) -> Cascade:
    """A province plan issued to communes A and B; commune A's child plan (issued) passes the training
    task on to its sub-unit, whose own plan copies it again."""
    from cchc.plans import services as plans

    t = org_tree
    plan = plans.plan_create(user=t.supervisor, owner=t.province, title="Tuyên truyền CCHC năm 2026", plan_year=2026,
                             number="12/KH-UBND")
    training = plans.task_create(
        plan=plan, user=t.supervisor, title="Tổ chức lớp tập huấn nghiệp vụ cải cách hành chính",
        lead_units=[t.commune_a, t.commune_b],
        targets=[{"quantity": 2, "unit": "lớp", "text": "02 lớp"}, {"quantity": 80, "unit": "người", "text": "80 người"}],
    )
    news = plans.task_create(
        plan=plan, user=t.supervisor, title="Đăng tin, bài về thủ tục hành chính trên trang thông tin điện tử",
        lead_units=[t.commune_a],
        targets=[{"quantity": 4, "unit": "tin, bài", "per": "month", "at_least": True, "text": "ít nhất 04 tin, bài"}],
    )
    plan = plans.plan_issue(plan=plan, user=t.supervisor)
    child = plans.plan_derive_child(plan=plan, unit=t.commune_a, user=t.officer_a)
    child_training = child.tasks.get(parent_task=training)
    plans.task_assign(task=child_training, user=t.officer_a, unit=t.commune_a_sub)
    child = plans.plan_issue(plan=child, user=t.manager_a)
    grandchild = plans.plan_derive_child(plan=child, unit=t.commune_a_sub, user=t.officer_a)
    plans.plan_issue(plan=grandchild, user=t.manager_a)
    gc_training = grandchild.tasks.get(parent_task=child_training)
    classes, people = list(training.targets.order_by("order"))
    c_classes, c_people = list(child_training.targets.order_by("order"))
    return Cascade(plan=plan, training=training, classes=classes, people=people, news=news,
                   news_target=news.targets.get(), child=child, child_training=child_training,
                   child_classes=c_classes, child_people=c_people,
                   grandchild_classes=gc_training.targets.order_by("order").first())


@pytest.fixture
def news_source():
    """A portal module that exists only in the tests: it counts published articles as outputs."""
    from cchc.core import registry

    source = registry.OutputSource(key="tests.news", label="Tin tức (thử)", output_type="portal_article")
    registry.output_sources.register(source)
    yield source
    registry.output_sources.unregister(source.key)


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()
