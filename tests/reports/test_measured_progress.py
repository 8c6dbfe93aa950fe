"""Task progress follows its outputs where the task has targets (issue 9, point 5)."""

from decimal import Decimal

from django.urls import reverse

from cchc.plans.targets import measured_progress

from .conftest import day


def test_measured_progress_is_done_over_planned_capped_and_averaged():
    assert measured_progress([]) is None
    assert measured_progress([{"done": None, "planned": Decimal(2)}]) is None  # nothing counts outputs
    assert measured_progress([{"done": Decimal(1), "planned": Decimal(2)}]) == 50
    assert measured_progress([{"done": Decimal(42), "planned": Decimal(40)}, {"done": Decimal(1), "planned": Decimal(2)}]) == 75
    assert measured_progress([{"done": Decimal(5), "planned": Decimal(0)}]) is None


def test_the_plan_and_task_pages_show_counted_work_beside_the_officers_status(world, client, english):
    t = world.tree
    world.record(t.dept, day("12/02/2026"), 1, target=world.class_target, people=45, output_type="training_class")
    client.force_login(t.supervisor)
    html = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    row = html[html.index(world.classes.title[:30]):]
    row = row[:row.index("</tr>")]
    # "02 lớp", 1 done: 50 % by outputs, the officer's own 0 % (not started) kept beside it
    assert '<strong class="measured"' in row and "50%</strong>" in row and "officer's own 0%" in row
    assert "not started" in row
    task_html = client.get(reverse("plans:task", args=[world.classes.pk])).content.decode()
    assert "50%</strong>" in task_html and "officer's own 0%" in task_html
    # a task whose targets nothing counted yet shows 0 % by outputs; the plan's figure averages them
    news_html = html[html.index(world.news.title[:30]):]
    assert "0%</strong>" in news_html[:news_html.index("</tr>")]
