"""The numbers the reports read: actuals against targets (with cascaded copies), totals, in fixed queries."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.outputs import selectors, services

from .conftest import day

pytestmark = pytest.mark.django_db

# Q1 under Nghị định 09/2019: from 15/12 of the previous year to 14/03.
Q1 = {"start": day("15/12/2025"), "end": day("14/03/2026")}


def rec(user, unit, when, *, target=None, task=None, quantity=1, people=None, output_type="training_class"):
    return services.output_record_create(user=user, unit=unit, output_type=output_type, date=day(when),
                                         quantity=quantity, people_reached=people, target=target, task=task)


@pytest.fixture
def recorded(org_tree, cascade):
    t, c = org_tree, cascade
    rec(t.officer_a, t.commune_a, "14/03/2026", target=c.child_classes, people=40)  # last day inside
    rec(t.officer_a, t.commune_a, "15/03/2026", target=c.child_classes, people=99)  # first day after
    rec(t.officer_a, t.commune_a, "15/12/2025", target=c.classes, people=20)  # first day inside, on the parent target
    rec(t.officer_a, t.commune_a, "14/12/2025", target=c.classes, people=99)  # before
    rec(t.officer_a, t.commune_a_sub, "01/02/2026", target=c.grandchild_classes, people=30)  # two levels down
    rec(t.officer_b, t.commune_b, "10/01/2026", target=c.classes, quantity=2, people=50)
    rec(t.officer_a, t.commune_a, "20/01/2026", target=c.news_target, quantity=4, output_type="portal_article")
    return c


def test_target_actuals_count_cascaded_copies_inside_the_cut_off(org_tree, recorded, django_assert_num_queries):
    c = recorded
    ids = [c.classes.pk, c.people.pk, c.news_target.pk, c.child_classes.pk, 123456]
    with django_assert_num_queries(3):  # the cascade, the compatibility table, the sums
        actuals = selectors.target_actuals(target_ids=ids, unit_paths=None, **Q1)
    assert actuals[c.classes.pk] == {"done": Decimal("5"), "quantity": Decimal("5"), "people_reached": 140, "records": 4}
    # "80 người" is served by the classes of its task: its actual is their people reached.
    assert actuals[c.people.pk]["done"] == 140
    # ... in its done only: its own columns are its own records', so a task's people sum to 140, not 280
    assert (actuals[c.people.pk]["people_reached"], actuals[c.people.pk]["records"]) == (0, 0)
    assert actuals[c.news_target.pk] == {"done": Decimal("4"), "quantity": Decimal("4"), "people_reached": 0, "records": 1}
    assert actuals[c.child_classes.pk] == {"done": Decimal("2"), "quantity": Decimal("2"), "people_reached": 70, "records": 2}
    assert actuals[123456] == {"done": Decimal("0"), "quantity": Decimal("0"), "people_reached": 0, "records": 0}


def test_target_actuals_by_unit_subtree(org_tree, recorded):
    c = recorded
    commune_a = selectors.target_actuals(target_ids=[c.classes.pk], unit_paths=[org_tree.commune_a.path], **Q1)
    assert commune_a[c.classes.pk] == {"done": Decimal("3"), "quantity": Decimal("3"), "people_reached": 90, "records": 3}
    both = selectors.target_actuals(target_ids=[c.classes.pk], unit_paths=[org_tree.commune_a_sub.path,
                                                                           org_tree.commune_b.path], **Q1)
    assert both[c.classes.pk]["quantity"] == Decimal("3") and both[c.classes.pk]["records"] == 2
    none = selectors.target_actuals(target_ids=[c.classes.pk], unit_paths=[org_tree.other_province.path], **Q1)
    assert none[c.classes.pk]["records"] == 0
    # The next quarter's window starts on the 15th: the record of 15/03 is there, not in Q1.
    q2 = selectors.target_actuals(target_ids=[c.classes.pk], unit_paths=None, start=day("15/03/2026"),
                                  end=day("14/06/2026"))
    assert q2[c.classes.pk] == {"done": Decimal("1"), "quantity": Decimal("1"), "people_reached": 99, "records": 1}


def test_query_count_does_not_grow_with_targets(org_tree, recorded, django_assert_num_queries):
    from cchc.plans.models import Target

    ids = list(Target.objects.values_list("pk", flat=True))
    with django_assert_num_queries(3):
        selectors.target_actuals(target_ids=ids, unit_paths=[org_tree.province.path], **Q1)


def test_unit_output_totals_grouped(org_tree, recorded, django_assert_num_queries):
    paths = [org_tree.province.path]
    with django_assert_num_queries(1):
        by_type = selectors.unit_output_totals(unit_paths=paths, **Q1)
    rows = {r["output_type"]: r for r in by_type}
    assert rows["training_class"]["quantity"] == Decimal("5") and rows["training_class"]["people_reached"] == 140
    assert rows["training_class"]["measure"] == "lớp" and rows["portal_article"]["records"] == 1
    by_unit = {r["unit_code"]: r["records"] for r in selectors.unit_output_totals(unit_paths=paths, group_by="unit", **Q1)}
    assert by_unit == {org_tree.commune_a.code: 3, org_tree.commune_a_sub.code: 1, org_tree.commune_b.code: 1}
    by_month = {r["month"]: r["records"] for r in selectors.unit_output_totals(unit_paths=paths, group_by="month", **Q1)}
    assert by_month == {dt.date(2025, 12, 1): 1, dt.date(2026, 1, 1): 2, dt.date(2026, 2, 1): 1, dt.date(2026, 3, 1): 1}
    by_language = selectors.unit_output_totals(unit_paths=paths, group_by="language", **Q1)
    assert [(r["language"], r["records"]) for r in by_language] == [("vi", 5)]
    with pytest.raises(ValueError):
        selectors.unit_output_totals(unit_paths=paths, group_by="colour", **Q1)


def test_records_for_unit_search_and_period(org_tree, recorded):
    qs = selectors.records_for_unit(org_tree.officer_a, org_tree.commune_a, start=day("01/01/2026"), end=day("31/03/2026"))
    assert qs.count() == 3
    assert selectors.records_for_unit(org_tree.officer_b, org_tree.commune_a).count() == 0  # not their unit
    assert selectors.records_for_unit(org_tree.supervisor, org_tree.commune_a, include_subunits=True).count() == 6
