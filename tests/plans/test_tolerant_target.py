"""A target number an older version wrote out of range (SQLite keeps any number in a decimal column)
shows as such on the pages instead of failing every page that lists it."""

import pytest
from django.db import connection
from django.urls import reverse

from cchc.plans.models import Target, Task

from .conftest import login


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses the too-wide value itself")
def test_a_too_wide_target_quantity_does_not_break_the_plan_pages(client, issued_plan, org_tree):
    task = Task.objects.filter(plan=issued_plan).first()
    target = Target.objects.create(task=task, quantity=4, unit="bài")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_target SET quantity = %s WHERE id = %s", ["123456789012345678901.5", target.pk])
    assert Target.objects.get(pk=target.pk).quantity > 10**20  # read back as it is, not an error
    login(client, org_tree.supervisor)
    assert client.get(reverse("plans:detail", args=[issued_plan.pk])).status_code == 200
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
