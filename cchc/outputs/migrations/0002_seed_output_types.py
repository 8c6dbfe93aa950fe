"""Seed the catalogue of output types. Codes are stable: records, spreadsheets and modules name them."""

from django.db import migrations


def seed(apps, schema_editor):
    from cchc.outputs.catalogue import sync_output_types

    sync_output_types(apps.get_model("outputs", "OutputType"))


class Migration(migrations.Migration):
    dependencies = [("outputs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
