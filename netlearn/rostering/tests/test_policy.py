import pytest
from django.contrib.auth.models import AnonymousUser

from netlearn.networks.access import access_for
from netlearn.rostering import policy


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("school_lead", True),  # leads Birch
        ("site_admin", True),
        ("member", False),
        ("co_leader", False),  # leads the network, not the school
        ("data_lead", False),  # works at Birch, does not lead it
        ("safeguarding_lead", False),
        ("partner", False),
        ("parent", False),
        ("pupil", False),
        ("anonymous", False),
    ],
)
def test_only_the_schools_lead_imports_its_roster(world, role, allowed, django_assert_num_queries):
    person = world.people_by_role()[role] or AnonymousUser()
    if role != "anonymous":
        access_for(person)
    with django_assert_num_queries(0):
        assert policy.can_import_roster(person, world.school_b) is allowed
    # Nobody imports another school's roster, nor another network's.
    if role != "site_admin":
        assert policy.can_import_roster(person, world.foreign_school) is False
