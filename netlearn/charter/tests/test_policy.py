import pytest

from netlearn.charter import policy
from netlearn.networks.access import access_for


@pytest.mark.parametrize(
    "role, reads, edits, signs_b",
    [
        ("anonymous", False, False, False),
        ("pupil", False, False, False),
        ("member", True, False, False),
        ("partner", True, False, False),
        ("school_lead", True, False, True),
        ("co_leader", True, True, False),
        ("site_admin", True, True, True),
    ],
)
def test_charter_rules_by_role(world, role, reads, edits, signs_b, django_assert_num_queries):
    person = world.people_by_role()[role]
    if person is not None:
        access_for(person)
    foreign = world.foreign_network
    with django_assert_num_queries(0):
        assert policy.can_view_charter(person, world.network) is reads
        assert policy.can_edit_charter(person, world.network) is edits
        assert policy.can_propose(person, world.network) is edits
        assert policy.can_sign_off(person, world.network, world.school_b) is signs_b
        assert policy.can_sign_off(person, world.network, world.school_a) is (role == "site_admin")
        assert policy.can_view_charter(person, foreign) is (role == "site_admin")
        assert policy.can_edit_charter(person, foreign) is (role == "site_admin")
        assert policy.can_sign_off(person, foreign, world.foreign_school) is (role == "site_admin")


def test_scope_lists_only_the_viewers_networks(world):
    from netlearn.charter.models import LearningFocus
    from netlearn.charter.tests.walk import object_ids

    home = object_ids(world, foreign=False)["focus_id"]
    foreign = object_ids(world, foreign=True)["focus_id"]
    seen = set(
        LearningFocus.objects.filter(policy.focus_scope(world.teacher)).values_list("pk", flat=True)
    )
    assert home in seen and foreign not in seen
    assert not LearningFocus.objects.filter(policy.focus_scope(world.pupil)).exists()
