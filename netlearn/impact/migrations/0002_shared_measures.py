"""Measures every network may use (issue 7: "measures defined as data"). Data only."""

from django.db import migrations

# England: DfE performance tables; New Zealand: NZQA. Codes are what CSV headers may carry.
MEASURES = [
    ("ks2-rwm", "KS2 reading, writing and maths at the expected standard", "%", True, "school"),
    ("ks2-reading", "KS2 reading at the expected standard", "%", True, "school"),
    ("ks2-writing", "KS2 writing at the expected standard", "%", True, "school"),
    ("ks2-maths", "KS2 maths at the expected standard", "%", True, "school"),
    ("ks4-attainment8", "KS4 Attainment 8", "points", True, "school"),
    ("ks4-progress8", "KS4 Progress 8", "score", True, "school"),
    ("ks4-ebacc", "KS4 EBacc average point score", "points", True, "school"),
    ("ncea-l2", "NCEA level 2 attainment (Year 12)", "%", True, "school"),
    ("exam-score", "Examination score (pupil level)", "standardised score", True, "pupil"),
]


def add_measures(apps, schema_editor):
    Measure = apps.get_model("impact", "Measure")
    for code, name, unit, higher, level in MEASURES:
        Measure.objects.get_or_create(
            network=None,
            code=code,
            defaults={"name": name, "unit": unit, "higher_is_better": higher, "level": level},
        )


def remove_measures(apps, schema_editor):
    Measure = apps.get_model("impact", "Measure")
    Measure.objects.filter(
        network=None, code__in=[code for code, *_ in MEASURES], datasets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_outcome_data_and_model_runs")]
    operations = [migrations.RunPython(add_measures, remove_measures)]
