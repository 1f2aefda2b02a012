from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0005_count_ballots_into_tallies"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Ballot",
        ),
    ]
