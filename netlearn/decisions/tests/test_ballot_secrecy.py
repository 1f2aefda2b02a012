"""A secret ballot keeps voter and ballot apart, as stored.

The same four heads vote in the same order on two secret proposals, each time choosing
differently while the totals stay the same. Everything stored about the ballots must then be the
same for both proposals: what was stored cannot depend on who chose what.
"""

import pytest
from django.db import connection

from netlearn.decisions import services
from netlearn.decisions.models import BallotBox, Position, Voter
from netlearn.networks import services as network_services

from .factories import heads_group, proposal

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = [0, 1, 0, 1]
SECOND = [1, 0, 1, 0]


def _box_as_positions(made) -> list:
    place = {option.pk: index for index, option in enumerate(made.options.all())}
    box = BallotBox.objects.get(revision=made.current_revision)
    return [[place[option] for option in ballot] for ballot in box.ballots]


def test_the_stored_ballots_do_not_depend_on_who_chose_what(world):
    group = heads_group(world)
    network_services.add_group_member(group=group, person=world.data_lead, by=world.admin)
    voters = [world.co_leader, world.school_lead, world.teacher, world.data_lead]
    boxes = []
    for choices in (FIRST, SECOND):
        made = proposal(world, group, method="vote", options=["Mon", "Fri"], is_secret=True)
        options = list(made.options.all())
        for person, index in zip(voters, choices, strict=True):
            services.cast_ballot(proposal=made, by=person, choice=[options[index].pk])
        boxes.append(_box_as_positions(made))
        assert Voter.objects.filter(revision=made.current_revision).count() == 4
    assert boxes[0] == boxes[1] == [[0], [0], [1], [1]]
    assert not Position.objects.exists()
    # The box has no column but its ballots and its revision: no time, no voter.
    columns = {field.column for field in BallotBox._meta.concrete_fields}
    assert columns == {"id", "revision_id", "ballots"}
    # Voters carry no time either, and random ids.
    assert {field.column for field in Voter._meta.concrete_fields} == {
        "id",
        "revision_id",
        "person_id",
    }
    assert connection.vendor in {"sqlite", "postgresql"}
