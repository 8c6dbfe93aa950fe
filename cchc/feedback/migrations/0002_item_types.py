"""The feedback types and their working days (editable in the admin afterwards).

Feedback on administrative regulations: 2 working days to classify or transfer, 10 to draft the
answer, 2 for the manager to approve and send it. The figures are the platform's defaults; a
province that sets other time limits changes them in the admin.
"""

from django.db import migrations

TYPES = [
    # code, name, classify, answer, approve, default, order
    ("quy-dinh-hanh-chinh", "Phản ánh, kiến nghị về quy định hành chính", 2, 10, 2, True, 10),
    ("thu-tuc-hanh-chinh", "Phản ánh về việc giải quyết thủ tục hành chính", 2, 10, 2, False, 20),
    ("hanh-vi-can-bo", "Phản ánh về hành vi, thái độ của cán bộ, công chức", 2, 10, 2, False, 30),
    ("khac", "Ý kiến, kiến nghị khác", 2, 15, 2, False, 90),
]


def seed(apps, schema_editor):
    ItemType = apps.get_model("feedback", "ItemType")
    for code, name, classify, answer, approve, default, order in TYPES:
        ItemType.objects.get_or_create(code=code, defaults={
            "name": name, "classify_days": classify, "answer_days": answer, "approve_days": approve,
            "is_default": default, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("feedback", "ItemType").objects.filter(code__in=[t[0] for t in TYPES], items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_items")]
    operations = [migrations.RunPython(seed, unseed)]
