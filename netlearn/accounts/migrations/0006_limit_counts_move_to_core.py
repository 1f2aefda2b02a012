# The rate limiter's counts now belong to the ground floor (core 0001); the table is kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_limit_counts_in_the_database"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LimitCount")],
            database_operations=[],
        ),
    ]
