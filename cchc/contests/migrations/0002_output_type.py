"""The output type a contest round records for each unit ("Lượt người dự thi trực tuyến"), with its rows
of the compatibility table."""

from django.db import migrations


def seed(apps, schema_editor):
    from cchc.outputs.catalogue import sync_compatibility, sync_output_types

    output_type = apps.get_model("outputs", "OutputType")
    sync_output_types(output_type)
    sync_compatibility(apps.get_model("outputs", "OutputCompatibility"), output_type)


class Migration(migrations.Migration):
    dependencies = [("contests", "0001_contests"), ("outputs", "0005_tolerant_decimals")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
