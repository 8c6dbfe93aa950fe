"""The output type that closing a survey records ("Khảo sát mức độ hài lòng", one per survey, its
respondents as the people reached), with its rows of the compatibility table."""

from django.db import migrations


def seed(apps, schema_editor):
    from cchc.outputs.catalogue import sync_compatibility, sync_output_types

    output_type = apps.get_model("outputs", "OutputType")
    sync_output_types(output_type)
    sync_compatibility(apps.get_model("outputs", "OutputCompatibility"), output_type)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("outputs", "0005_tolerant_decimals")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
