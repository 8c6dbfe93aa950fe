"""A target restricted to languages ("tin, bài bằng tiếng dân tộc: Tày, Mông, Dao, Pà Thẻn: 12 bài/1 năm")
counts only the outputs recorded in those languages, through its copies in child plans too; the form
says so before recording an output that would not count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.outputs import selectors, services
from cchc.outputs.catalogue import target_language_codes
from cchc.outputs.models import OutputRecord, OutputType

from .conftest import day

pytestmark = pytest.mark.django_db

YEAR = {"start": day("15/12/2025"), "end": day("14/12/2026")}


@pytest.mark.parametrize("names,codes", [
    (["Tày", "Mông", "Dao", "Pà Thẻn"], {"tay", "mong", "dao", "pathen"}),
    (["H'Mông", "Khmer"], {"mong", "khmer"}),
    (["phổ thông", "Mông"], {"vi", "mong"}),
    (["Mường"], {"other"}),  # a language the catalogue does not list is recorded as "other"
    ([], None),
])
def test_target_language_codes(names, codes):
    assert target_language_codes(names) == (frozenset(codes) if codes is not None else None)


def test_any_ethnic_language_is_every_language_but_vietnamese():
    codes = target_language_codes(["dân tộc"])
    assert "vi" not in codes and {"tay", "mong", "khmer", "other"} <= codes


def _rec(user, unit, when, target, language, quantity=1):
    return services.output_record_create(user=user, unit=unit, output_type="radio_report", date=day(when),
                                         quantity=quantity, language=language, target=target)


@pytest.fixture
def ethnic(org_tree, cascade):
    """The province's news target restricted to Tày and Mông, as are its copies in commune A's plan."""
    from cchc.plans.models import Target

    Target.objects.filter(pk=cascade.news_target.pk).update(languages=["Tày", "Mông"])
    copy = Target.objects.get(task__parent_task=cascade.news)
    Target.objects.filter(pk=copy.pk).update(languages=["Tày", "Mông"])
    copy.refresh_from_db()
    cascade.news_target.refresh_from_db()
    return cascade.news_target, copy


def test_only_outputs_in_the_target_languages_count(org_tree, ethnic, django_assert_num_queries):
    target, copy = ethnic
    t = org_tree
    _rec(t.officer_a, t.commune_a, "10/01/2026", target, "mong", 2)
    _rec(t.officer_a, t.commune_a, "11/01/2026", copy, "tay")  # the commune's copy counts for the province's
    _rec(t.officer_a, t.commune_a, "12/01/2026", copy, "vi")
    _rec(t.officer_a, t.commune_a, "13/01/2026", target, "dao")
    with django_assert_num_queries(3):  # the cascade, the compatibility table, the sums
        actuals = selectors.target_actuals(target_ids=[target.pk, copy.pk], unit_paths=None, **YEAR)
    assert actuals[target.pk] == {"done": Decimal(3), "quantity": Decimal(3), "people_reached": 0, "records": 2}
    assert actuals[copy.pk] == {"done": Decimal(1), "quantity": Decimal(1), "people_reached": 0, "records": 1}


def test_a_copy_without_the_restriction_counts_every_language_of_its_own(org_tree, ethnic):
    from cchc.plans.models import Target

    target, copy = ethnic
    Target.objects.filter(pk=copy.pk).update(languages=[])
    _rec(org_tree.officer_a, org_tree.commune_a, "12/01/2026", copy, "vi")
    actuals = selectors.target_actuals(target_ids=[target.pk, copy.pk], unit_paths=None, **YEAR)
    assert (actuals[target.pk]["records"], actuals[copy.pk]["records"]) == (0, 1)


def _post(client, unit, **data):
    base = {"date": "10/03/2026", "title": "Phóng sự CCHC", "quantity": "1", "channel": "", "people_reached": "",
            "cost": "", "link": "", "output_type": OutputType.objects.get(code="radio_report").pk}
    base.update(data)
    return client.post(reverse("outputs:create", args=[unit.code]), base)


def test_the_form_refuses_an_output_that_would_not_count_and_takes_one_that_does(client, org_tree, ethnic):
    _target, copy = ethnic
    client.force_login(org_tree.officer_a)
    page = client.get(reverse("outputs:create", args=[org_tree.commune_a.code])).content.decode()
    assert " — ít nhất 04 tin, bài in Tày, Mông</option>" in page
    refused = _post(client, org_tree.commune_a, serves=f"g:{copy.pk}", language="vi")
    assert refused.status_code == 200
    assert "This target counts only outputs in Tày, Mông" in refused.content.decode()
    assert not OutputRecord.objects.exists()
    assert _post(client, org_tree.commune_a, serves=f"g:{copy.pk}", language="mong").status_code == 302
    assert OutputRecord.objects.get().language == "mong"
