from django.db import migrations


def new_zealand_networks_count_in_dollars(apps, schema_editor):
    # A Kāhui Ako's money is New Zealand dollars; until now its release requests said "£".
    Network = apps.get_model("networks", "Network")
    Network.objects.filter(country="NZ").update(currency="NZD")


class Migration(migrations.Migration):
    dependencies = [("networks", "0007_network_currency")]

    operations = [
        migrations.RunPython(new_zealand_networks_count_in_dollars, migrations.RunPython.noop),
    ]
