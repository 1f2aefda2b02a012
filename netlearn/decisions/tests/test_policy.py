import pytest

from netlearn.decisions import policy, selectors
from netlearn.networks.access import load_access

from .factories import heads_group, proposal

pytestmark = pytest.mark.django_db

# (role in the world, may read the network's decisions, takes part, manages the proposal)
MATRIX = [
    ("co_leader", True, True, True),
    ("school_lead", True, True, False),
    ("member", True, True, False),  # the teacher is in the deciding group
    ("data_lead", True, False, False),  # in the network, not in the group
    ("partner", True, False, False),
    ("pupil", False, False, False),
    ("parent", False, False, False),
    ("site_admin", True, False, True),  # sees and closes; takes part only where a member
    ("post_ended", False, False, False),
]


@pytest.mark.parametrize("role, reads, takes_part, manages", MATRIX)
def test_who_reads_takes_part_and_manages(
    world, role, reads, takes_part, manages, django_assert_num_queries
):
    made = proposal(world, heads_group(world))
    person = world.people_by_role()[role]
    decider_ids = selectors.decider_ids_of(proposal=made)
    made = selectors.proposals_for(viewer=world.admin, network=world.network).get(pk=made.pk)
    load_access([person])
    with django_assert_num_queries(0):
        assert policy.can_view_proposal(person, made) is reads
        assert policy.can_take_part(person, made, decider_ids=decider_ids) is takes_part
        assert (policy.can_view_proposal(person, made) and policy.can_manage(person, made)) is (
            manages
        )


def test_a_member_of_another_network_sees_nothing(world):
    made = proposal(world, heads_group(world))
    for person in (world.foreign_teacher, world.foreign_co_leader):
        assert not policy.can_view_proposal(person, made)
        assert not selectors.proposals_for(viewer=person, network=world.network).exists()


def test_a_secret_count_shows_only_after_closing(world):
    made = proposal(world, heads_group(world), method="vote", options=["A", "B"], is_secret=True)
    assert not policy.can_see_result(world.teacher, made)
    made.closed_at = made.created_at
    assert policy.can_see_result(world.teacher, made)
