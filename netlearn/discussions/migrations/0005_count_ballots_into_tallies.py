"""Existing ballots become counts on their options; the next migration removes the ballot table.

Going back writes one ballot per counted vote, in random order with fresh random ids, so even a
reversal puts nothing in the ballot table that follows the voters.
"""

import random
import uuid

from django.db import migrations
from django.db.models import Count


def count_ballots(apps, schema_editor):
    Ballot = apps.get_model("discussions", "Ballot")
    PollOption = apps.get_model("discussions", "PollOption")
    counted = Ballot.objects.values("option_id").annotate(n=Count("id")).order_by("option_id")
    for row in counted:
        PollOption.objects.filter(pk=row["option_id"]).update(votes=row["n"])


def write_ballots(apps, schema_editor):
    Ballot = apps.get_model("discussions", "Ballot")
    PollOption = apps.get_model("discussions", "PollOption")
    ballots = [
        Ballot(id=uuid.uuid4(), poll_id=option.poll_id, option_id=option.pk)
        for option in PollOption.objects.filter(votes__gt=0)
        for _ in range(option.votes)
    ]
    random.SystemRandom().shuffle(ballots)
    Ballot.objects.bulk_create(ballots)


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0004_poll_options_keep_a_tally"),
    ]

    operations = [
        migrations.RunPython(count_ballots, write_ballots),
    ]
