"""What the reviewers' search looks in, one column per case (``TransferCase.search_text``), filled for
the cases that exist: their reference, title, counterparty, achievements' titles and inventors' names."""

from django.db import migrations, models


def fill(apps, schema_editor):
    TransferCase = apps.get_model("transfers", "TransferCase")
    for case in TransferCase.objects.prefetch_related("achievements__inventors").iterator(chunk_size=500):
        parts = [case.reference, case.title, case.counterparty_name]
        for achievement in case.achievements.all():
            parts.append(achievement.title)
            parts.extend(inventor.name for inventor in achievement.inventors.all())
        TransferCase.objects.filter(pk=case.pk).update(search_text="\n".join(parts))


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0012_substitutions"),
    ]

    operations = [
        migrations.AddField(
            model_name="transfercase",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
