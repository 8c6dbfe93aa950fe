"""Seed the catalogue of output types. Codes are stable: records, spreadsheets and modules name them."""

from django.db import migrations


def seed(apps, schema_editor):
    from cchc.outputs.catalogue import CATALOGUE

    OutputType = apps.get_model("outputs", "OutputType")
    for spec in CATALOGUE:
        OutputType.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name_vi, "measure": spec.measure, "counts_people": spec.counts_people,
                "has_language": spec.has_language, "target_words": list(spec.target_words), "order": spec.order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("outputs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
