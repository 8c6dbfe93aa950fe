"""The public search of the catalogue: the folded name and the Vietnamese sort key of each
procedure, and the database's full-text index over the folded texts (SQLite FTS5 table with its
triggers; PostgreSQL tsvector column, its trigger and GIN index). See cchc/procedures/search.py."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from cchc.documents.folding import fold
    from cchc.procedures.search import sort_key

    Procedure = apps.get_model("procedures", "Procedure")
    rows = list(Procedure.objects.only("pk", "name", "code", "field", "agency", "search_text"))
    for row in rows:
        row.search_name = fold(row.name or "")
        row.sort_key = sort_key(row.name or "")
        if not row.search_text:
            row.search_text = fold(" ".join(p for p in (row.name, row.code, row.field, row.agency) if p))
    Procedure.objects.bulk_update(rows, ["search_name", "sort_key", "search_text"], batch_size=500)


def install(apps, schema_editor):
    from cchc.procedures.search import install as install_index

    install_index(schema_editor)


def uninstall(apps, schema_editor):
    from cchc.procedures.search import uninstall as uninstall_index

    uninstall_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_output_type")]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="procedure",
            name="sort_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=500),
        ),
        migrations.AddIndex(
            model_name="procedure",
            index=models.Index(fields=["unit", "status", "sort_key"], name="procedures_unit_status_sort"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
