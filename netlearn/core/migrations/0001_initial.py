# The rate limiter's counts move from accounts to the ground floor: the table stays as it is.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0005_limit_counts_in_the_database"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LimitCount",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=100, unique=True)),
                        ("count", models.PositiveIntegerField(default=0)),
                        ("window_ends_at", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "accounts_limitcount"},
                ),
            ],
            database_operations=[],
        ),
    ]
