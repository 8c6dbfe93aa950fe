"""One child plan per (parent, unit), once 0003 has made the duplicates safe (a migration of its own, so
that the rows it updated are committed before the index is built)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0003_child_per_unit_report_submitter"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(condition=models.Q(("parent__isnull", False)), fields=("parent", "owner"),
                                               name="plan_unique_child_per_unit"),
        ),
    ]
