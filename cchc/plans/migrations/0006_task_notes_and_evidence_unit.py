"""Notes and evidence files of a task belong to a unit: the one notes field of a task becomes one note
per unit, and each evidence file names the unit it was uploaded for.

What was written before names no unit. An evidence file goes to the unit among the task's assigned
units where its uploader is a member; a note or file that cannot be placed that way goes to the
task's lead unit when there is exactly one, else to the plan's owner, whom every unit's work is
shown to anyway: a sibling unit never sees it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _owner_unit(task, leads: dict[int, list[int]]) -> int:
    lead = leads.get(task.pk) or []
    return lead[0] if len(lead) == 1 else task.plan.owner_id


def place_existing(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskNote = apps.get_model("plans", "TaskNote")
    TaskEvidence = apps.get_model("plans", "TaskEvidence")
    Assignment = apps.get_model("plans", "Assignment")
    Membership = apps.get_model("org", "Membership")

    assigned: dict[int, list[int]] = {}
    leads: dict[int, list[int]] = {}
    for task_id, unit_id, role in Assignment.objects.exclude(unit=None).values_list("task_id", "unit_id", "role"):
        assigned.setdefault(task_id, []).append(unit_id)
        if role == "lead":
            leads.setdefault(task_id, []).append(unit_id)
    member_of: dict[int, set[int]] = {}
    for user_id, unit_id in Membership.objects.values_list("user_id", "unit_id"):
        member_of.setdefault(user_id, set()).add(unit_id)

    notes = [TaskNote(task=task, unit_id=_owner_unit(task, leads), text=task.notes, updated_by_id=task.updated_by_id)
             for task in Task.objects.exclude(notes="").select_related("plan").iterator()]
    TaskNote.objects.bulk_create(notes, batch_size=500)

    changed = []
    for evidence in TaskEvidence.objects.select_related("task__plan").iterator():
        mine = [u for u in assigned.get(evidence.task_id, []) if u in member_of.get(evidence.uploaded_by_id, set())]
        evidence.unit_id = mine[0] if len(mine) == 1 else _owner_unit(evidence.task, leads)
        changed.append(evidence)
    TaskEvidence.objects.bulk_update(changed, ["unit"], batch_size=500)


def restore_notes(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskNote = apps.get_model("plans", "TaskNote")
    joined: dict[int, list[str]] = {}
    for note in TaskNote.objects.select_related("unit").order_by("task_id", "unit__path"):
        joined.setdefault(note.task_id, []).append(f"{note.unit.name}: {note.text}")
    for task_id, texts in joined.items():
        Task.objects.filter(pk=task_id).update(notes="\n\n".join(texts))


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('plans', '0005_target_quantity_tolerant'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='notes')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_notes', to='plans.task', verbose_name='task')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by')),
            ],
            options={
                'verbose_name': 'task note',
                'verbose_name_plural': 'task notes',
                'ordering': ['task', 'unit__path'],
                'constraints': [models.UniqueConstraint(fields=('task', 'unit'), name='tasknote_unique_task_unit')],
            },
        ),
        migrations.AddField(
            model_name='taskevidence',
            name='unit',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit'),
        ),
        migrations.RunPython(place_existing, restore_notes),
        migrations.AlterField(
            model_name='taskevidence',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='unit'),
        ),
        migrations.RemoveField(
            model_name='task',
            name='notes',
        ),
    ]
