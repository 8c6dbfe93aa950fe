"""Seed the compatibility table from the documented defaults (`catalogue.COMPATIBILITY_DEFAULTS` and
each type's own target words)."""

from django.db import migrations


def seed(apps, schema_editor):
    from cchc.outputs.catalogue import sync_compatibility

    sync_compatibility(apps.get_model("outputs", "OutputCompatibility"), apps.get_model("outputs", "OutputType"))


class Migration(migrations.Migration):
    dependencies = [("outputs", "0003_compatibility")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
