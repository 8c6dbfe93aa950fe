"""The plan page names a task's section once: seed 004's appendix is numbered "Phụ lục" and headed
"PHỤ LỤC", which read "Phụ lục PHỤ LỤC" under each of its tasks."""

from django.urls import reverse

from cchc.plans import services

from .conftest import login


def test_a_section_whose_number_is_its_heading_is_named_once(client, org_tree):
    t = org_tree
    plan = services.plan_create(user=t.supervisor, owner=t.province, title="Kế hoạch tuyên truyền CCHC năm 2026", plan_year=2026)
    appendix = services.section_create(plan=plan, user=t.supervisor, number="Phụ lục", heading="PHỤ LỤC")
    other = services.section_create(plan=plan, user=t.supervisor, number="8", heading="Sở Kế hoạch và Đầu tư")
    services.task_create(plan=plan, user=t.supervisor, title="Viết tin, bài về CCHC", section=appendix, lead_units=[t.dept])
    services.task_create(plan=plan, user=t.supervisor, title="Cung cấp nội dung về chính sách đầu tư", section=other,
                         lead_units=[t.dept])
    login(client, t.supervisor)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert '<span class="muted">PHỤ LỤC</span>' in html and "Phụ lục PHỤ LỤC" not in html
    assert '<span class="muted">8 Sở Kế hoạch và Đầu tư</span>' in html
