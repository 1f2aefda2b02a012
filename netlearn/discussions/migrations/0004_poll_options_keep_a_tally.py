from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0003_parent_and_whanau_spaces"),
    ]

    operations = [
        migrations.AddField(
            model_name="polloption",
            name="votes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
