"""One child plan per (parent, unit), and who submits the units' reports, per plan.

Before the constraint, duplicate child plans (two plans of one unit under the same parent, which an
earlier version let a double click create) are made safe rather than deleted: the plan that keeps the
link is the issued one, else the one with the most tasks, else the oldest; the others lose their
`parent` link but keep every task, output and report, and name the parent plan in their references
so that nobody loses track of what they carry out. Their tasks keep their links to the parent's tasks.

Plans that exist before this migration keep the rule they were run under (officers submit); plans
made afterwards start with the unit's manager approving and submitting."""

from django.db import migrations, models
from django.db.models import Count


def detach_duplicate_children(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    AuditEvent = apps.get_model("core", "AuditEvent")
    groups = (
        Plan.objects.filter(parent__isnull=False).values("parent_id", "owner_id")
        .annotate(n=Count("id")).filter(n__gt=1)
    )
    for group in groups:
        plans = list(
            Plan.objects.filter(parent_id=group["parent_id"], owner_id=group["owner_id"])
            .annotate(n_tasks=Count("tasks"))
        )
        plans.sort(key=lambda p: (p.issued_at is None, -p.n_tasks, p.pk))
        keep, others = plans[0], plans[1:]
        parent = Plan.objects.get(pk=group["parent_id"])
        for plan in others:
            references = list(plan.references or [])
            references.append({"kind": "Kế hoạch", "number": parent.number or None,
                               "date": parent.date.isoformat() if parent.date else None,
                               "issuer": parent.issuer or None, "role": "implements", "title": parent.title})
            Plan.objects.filter(pk=plan.pk).update(parent=None, references=references)
            AuditEvent.objects.create(
                action="update", object_type="plans.plan", object_id=str(plan.pk), object_repr=plan.title[:300],
                unit_id=plan.owner_id, before={"parent_id": parent.pk}, after={"parent_id": None},
                message=f"detached: plan {keep.pk} is the unit's child plan of plan {parent.pk}",
            )


def existing_plans_keep_officers_submitting(apps, schema_editor):
    apps.get_model("plans", "Plan").objects.update(report_submitter="officer")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("plans", "0002_target_soft_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="report_submitter",
            field=models.CharField(
                choices=[("manager", "the unit's manager approves and submits what officers draft"),
                         ("officer", "officers submit directly")],
                default="manager",
                help_text="Reports are signed by the head of the unit: by default officers draft and the unit's manager approves and submits.",
                max_length=10, verbose_name="who submits the units' reports"),
        ),
        migrations.RunPython(existing_plans_keep_officers_submitting, migrations.RunPython.noop),
        migrations.RunPython(detach_duplicate_children, migrations.RunPython.noop),
        # the constraint itself is the next migration: on PostgreSQL an index cannot be created in the
        # transaction that has just updated the rows it covers (pending trigger events)
    ]
