"""Modules plug into pages through the registry: the plan page's link to its reporting periods is a
registered page action, and its downloads are the registered exports (a registered export is the one
served; an unregistered format is missing)."""

from __future__ import annotations

from cchc.core import registry


def test_the_plan_page_shows_the_registered_actions_and_exports(world, client):
    t = world.tree
    client.force_login(t.officer_a)
    page = client.get(f"/ke-hoach/{world.plan.pk}/").content.decode()
    assert f'href="/bao-cao/ke-hoach/{world.plan.pk}/ky/" data-action="reports.periods"' in page
    assert f"/ke-hoach/{world.plan.pk}/tai-ve/docx/" in page and f"/ke-hoach/{world.plan.pk}/tai-ve/xlsx/" in page

    extra = registry.PageAction(key="tests.extra", page="plans.plan", label="Việc thêm",
                                url=lambda plan, user: f"/them/{plan.pk}/" if user.username == t.officer_a.username else None)
    with registry.temporarily(registry.page_actions, extra):
        assert f'href="/them/{world.plan.pk}/"' in client.get(f"/ke-hoach/{world.plan.pk}/").content.decode()
        client.force_login(t.supervisor)
        assert "/them/" not in client.get(f"/ke-hoach/{world.plan.pk}/").content.decode()
    assert "tests.extra" not in registry.page_actions


def test_a_registered_export_is_the_one_served(world, client):
    client.force_login(world.tree.officer_a)
    fake = registry.Export(key="plans.csv", label="CSV", model="plans.plan",
                           render=lambda plan, user: ("kh.csv", "text/csv", f"{plan.pk};{user.username}".encode()))
    assert client.get(f"/ke-hoach/{world.plan.pk}/tai-ve/csv/").status_code == 404
    with registry.temporarily(registry.exports, fake):
        response = client.get(f"/ke-hoach/{world.plan.pk}/tai-ve/csv/")
        assert response.status_code == 200 and response.content == f"{world.plan.pk};{world.tree.officer_a.username}".encode()
        assert f"/ke-hoach/{world.plan.pk}/tai-ve/csv/" in client.get(f"/ke-hoach/{world.plan.pk}/").content.decode()
    assert client.get(f"/ke-hoach/{world.plan.pk}/tai-ve/csv/").status_code == 404


def test_temporarily_puts_back_what_was_registered_under_the_key():
    before = registry.exports.get("plans.docx")
    replacement = registry.Export(key="plans.docx", label="x", model="plans.plan", render=lambda plan, user: ("", "", b""))
    with registry.temporarily(registry.exports, replacement):
        assert registry.exports.get("plans.docx") is replacement
    assert registry.exports.get("plans.docx") is before


def test_figures_of_other_modules_appear_in_the_units_report(world, q1, client):
    """Page views, subscribers …: a module's stats provider is shown in the unit's report without
    reports importing it; a provider that fails leaves the page working."""
    from cchc.reports import services

    t = world.tree
    seen = {}

    def views(*, unit_paths, start, end):
        seen.update(paths=unit_paths, start=start, end=end)
        return [{"key": "views", "label": "Lượt xem tin, bài", "value": 1234}]

    def broken(**kwargs):
        raise RuntimeError("down")

    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    client.force_login(t.officer_a)
    with registry.temporarily(registry.stats_providers,
                              registry.StatsProvider(key="tests.views", label="x", stats=views),
                              registry.StatsProvider(key="tests.broken", label="y", stats=broken)):
        html = client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert "<dt>Lượt xem tin, bài</dt><dd>1234</dd>" in html
    assert seen["paths"][0] == t.commune_a.path and (seen["start"], seen["end"]) == (q1.start, q1.end)
