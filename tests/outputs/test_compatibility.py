"""The compatibility table: which output types count toward which target (issue 9, point 2)."""

import datetime as dt

import pytest

from cchc.core.models import AuditEvent
from cchc.outputs import selectors, services
from cchc.outputs.catalogue import COMPATIBILITY_DEFAULTS, compatible_codes
from cchc.outputs.models import OutputCompatibility, OutputType

YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}


def test_the_seeded_table_holds_the_documented_defaults(db):
    table = OutputCompatibility.table()
    for phrase, codes in COMPATIBILITY_DEFAULTS.items():
        assert set(codes) <= table[phrase]
    assert compatible_codes("bài", table) >= {"portal_article", "newspaper_article", "tv_report", "radio_report"}
    assert "leaflet" not in compatible_codes("bài", table)
    assert compatible_codes("Tin, bài", table) >= {"portal_article", "tv_report", "radio_report", "newspaper_article"}
    assert compatible_codes("chuyên mục", table) >= {"broadcast_programme", "newspaper_article"}
    assert compatible_codes("sản phẩm", table) is None  # a thing the table does not name takes any type


def test_a_tv_report_counts_toward_news_and_a_leaflet_is_refused(org_tree, cascade):
    t, news = org_tree, cascade.news_target  # "4 tin, bài/tháng" of commune A
    services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="tv_report",
                                  date=dt.date(2026, 2, 1), task=news.task)  # the task as a whole finds the target
    services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="radio_report",
                                  date=dt.date(2026, 2, 2), target=news)
    with pytest.raises(services.OutputError) as refused:
        services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="leaflet",
                                      date=dt.date(2026, 2, 3), target=news)
    assert "does not count toward the target" in str(refused.value) and "TV report" in str(refused.value)
    actuals = selectors.target_actuals(target_ids=[news.pk], unit_paths=None, **YEAR)
    assert actuals[news.pk]["done"] == 2 and actuals[news.pk]["records"] == 2


def test_an_article_cannot_be_recorded_against_a_people_target(org_tree, cascade):
    with pytest.raises(services.OutputError) as refused:
        services.output_record_create(user=org_tree.officer_a, unit=org_tree.commune_a, output_type="portal_article",
                                      date=dt.date(2026, 2, 3), target=cascade.people)
    assert "counts people" in str(refused.value)


def test_an_administrator_edits_the_table_and_counting_follows(org_tree, cascade, client):
    t, news = org_tree, cascade.news_target
    services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="tv_report",
                                  date=dt.date(2026, 2, 1), target=news)
    row = OutputCompatibility.objects.get(words="tin bai", output_type__code="tv_report")
    client.force_login(t.admin)
    response = client.post(f"/quan-tri/outputs/outputcompatibility/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="delete", object_type="outputs.outputcompatibility", object_id=str(row.pk)).exists()
    assert selectors.target_actuals(target_ids=[news.pk], unit_paths=None, **YEAR)[news.pk]["done"] == 0
    tv = OutputType.objects.get(code="tv_report")
    response = client.post("/quan-tri/outputs/outputcompatibility/add/", {"words": "Tin, bài", "output_type": tv.pk})
    assert response.status_code == 302
    added = OutputCompatibility.objects.get(words="tin bai", output_type=tv)  # stored folded
    assert AuditEvent.objects.filter(action="create", object_id=str(added.pk)).exists()
    assert selectors.target_actuals(target_ids=[news.pk], unit_paths=None, **YEAR)[news.pk]["done"] == 1


@pytest.mark.parametrize("unit, people", [
    ("người", True), ("lượt người", True), ("học viên", True), ("đại biểu", True), ("người dân", True),
    ("cán bộ, công chức", True), ("học viên là cán bộ xã", True),
    ("lượt phát", False), ("lớp", False), ("bài", False), ("tin, bài", False),
])
def test_which_targets_count_people(unit, people):
    from cchc.outputs.catalogue import target_counts_people

    assert target_counts_people(unit) is people


def test_a_class_recorded_against_the_people_target_also_counts_as_the_class(org_tree, cascade):
    t = org_tree
    services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="training_class",
                                  date=dt.date(2026, 2, 1), people_reached=42, target=cascade.people)
    actuals = selectors.target_actuals(target_ids=[cascade.classes.pk, cascade.people.pk], unit_paths=None, **YEAR)
    assert actuals[cascade.people.pk]["done"] == 42 and actuals[cascade.classes.pk]["done"] == 1
    assert actuals[cascade.people.pk]["records"] + actuals[cascade.classes.pk]["records"] == 1


def test_a_class_for_a_task_counted_only_in_people_finds_its_target(org_tree, cascade):
    from cchc.plans.models import Target

    t, task = org_tree, cascade.training
    Target.objects.filter(pk=cascade.classes.pk).delete()  # the task now counts "80 người" only
    record = services.output_record_create(user=t.officer_a, unit=t.commune_a, output_type="conference",
                                           date=dt.date(2026, 2, 1), people_reached=60, task=task)
    assert record.target == cascade.people
    assert selectors.target_actuals(target_ids=[cascade.people.pk], unit_paths=None, **YEAR)[cascade.people.pk]["done"] == 60
