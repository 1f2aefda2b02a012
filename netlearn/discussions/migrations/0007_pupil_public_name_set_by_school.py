from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0006_remove_ballots"),
    ]

    operations = [
        migrations.AddField(
            model_name="pupilprofile",
            name="public_name",
            field=models.CharField(blank=True, max_length=60),
        ),
    ]
