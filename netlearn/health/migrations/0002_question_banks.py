"""Loads the question banks (`netlearn/health/banks.py`): the frameworks the seed accounts name,
in our own words (docs/seed-practices.md#network-health)."""

from django.db import migrations

from netlearn.health import banks


def load(apps, schema_editor):
    Framework = apps.get_model("health", "Framework")
    Dimension = apps.get_model("health", "Dimension")
    BankItem = apps.get_model("health", "BankItem")
    for fields, dimensions in banks.rows():
        framework, _ = Framework.objects.update_or_create(
            slug=fields["slug"], defaults={k: v for k, v in fields.items() if k != "slug"}
        )
        for dimension_fields, items in dimensions:
            dimension, _ = Dimension.objects.update_or_create(
                framework=framework,
                slug=dimension_fields["slug"],
                defaults={k: v for k, v in dimension_fields.items() if k != "slug"},
            )
            for item in items:
                BankItem.objects.update_or_create(
                    framework=framework,
                    slug=item["slug"],
                    defaults={
                        **{k: v for k, v in item.items() if k != "slug"},
                        "dimension": dimension,
                    },
                )


class Migration(migrations.Migration):
    dependencies = [("health", "0001_surveys_and_frameworks")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
