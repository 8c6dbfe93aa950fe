"""Platform modules record outputs through the registry: one record per thing, withdrawn when unpublished."""

import datetime as dt

import pytest

from cchc.core.models import AuditEvent
from cchc.outputs import selectors, services
from cchc.outputs.models import OutputRecord

pytestmark = pytest.mark.django_db


def publish(org_tree, title="Tin 1", **kwargs):
    return services.output_record_from_source(source="tests.news", source_ref="article-17", unit=org_tree.commune_a,
                                              output_type="", date=dt.date(2026, 2, 3), title=title,
                                              link="https://hagiang1.gov.vn/tin/17", **kwargs)


def test_same_thing_twice_updates_never_duplicates(org_tree, cascade, news_source):
    first = publish(org_tree, target=cascade.news_target)
    again = publish(org_tree, title="Tin 1 (sửa)", target=cascade.news_target)
    assert first.pk == again.pk and OutputRecord.objects.count() == 1
    record = OutputRecord.objects.get()
    assert record.title == "Tin 1 (sửa)" and record.output_type.code == "portal_article" and record.source == "tests.news"
    assert record.task == cascade.news
    publish(org_tree, title="Tin 1 (sửa)", target=cascade.news_target)  # nothing changed: no audit event
    assert list(AuditEvent.objects.filter(object_type="outputs.outputrecord").order_by("id").values_list("action", flat=True)) == [
        "create", "update"]


def test_withdrawn_article_stops_counting_and_counts_again_when_republished(org_tree, cascade, news_source):
    publish(org_tree, target=cascade.news_target)
    window = {"target_ids": [cascade.news_target.pk], "unit_paths": None, "start": dt.date(2026, 1, 1),
              "end": dt.date(2026, 3, 31)}
    assert selectors.target_actuals(**window)[cascade.news_target.pk]["records"] == 1
    assert services.output_record_withdraw(source="tests.news", source_ref="article-17") is True
    assert services.output_record_withdraw(source="tests.news", source_ref="article-17") is False
    assert selectors.target_actuals(**window)[cascade.news_target.pk]["records"] == 0
    assert selectors.unit_output_totals(unit_paths=[org_tree.province.path], start=dt.date(2026, 1, 1),
                                        end=dt.date(2026, 12, 31)) == []
    assert not selectors.records_for_unit(org_tree.officer_a, org_tree.commune_a).exists()
    publish(org_tree, target=cascade.news_target)
    assert selectors.target_actuals(**window)[cascade.news_target.pk]["records"] == 1
    assert OutputRecord.objects.count() == 1


def test_unregistered_source_is_refused(org_tree):
    with pytest.raises(services.UnknownSource, match="not a registered output source"):
        services.output_record_from_source(source="tests.not-installed", source_ref="1", unit=org_tree.commune_a,
                                           output_type="portal_article", date=dt.date(2026, 2, 3))
    with pytest.raises(services.UnknownSource):
        services.output_record_withdraw(source="tests.not-installed", source_ref="1")
    assert not OutputRecord.objects.exists()


def test_module_records_are_not_edited_by_hand(client, org_tree, news_source):
    from django.urls import reverse

    record = publish(org_tree)
    client.force_login(org_tree.officer_a)
    assert client.get(reverse("outputs:detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("outputs:edit", args=[record.pk])).status_code == 404
    assert client.post(reverse("outputs:delete", args=[record.pk])).status_code == 404
