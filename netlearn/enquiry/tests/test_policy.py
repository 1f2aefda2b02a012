"""Who may see and do what, as a matrix; every check costs no queries."""

import pytest

from netlearn.enquiry import policy, services
from netlearn.enquiry.models import Account, AccountStatus, Enquiry
from netlearn.networks.access import access_for

from .factories import lesson_study, loaded, loaded_account


def in_enquiry_scope(person, enquiry) -> bool:
    return Enquiry.objects.filter(policy.enquiry_scope(person), pk=enquiry.pk).exists()


def in_account_scope(person, account) -> bool:
    return Account.objects.filter(policy.account_scope(person), pk=account.pk).exists()


@pytest.fixture
def enquiry(world):
    # world.group: the writing development group; world.teacher is its one person member.
    return lesson_study(world, world.group, world.teacher)


ROLES = ["pupil", "member", "partner", "school_lead", "co_leader", "site_admin", "anonymous"]
# role: (view, edit, case pupils)
EXPECTED = {
    "anonymous": (False, False, False),
    "pupil": (False, False, False),
    "member": (True, True, True),  # world.teacher: in the enquiry's group
    "partner": (True, False, False),
    "school_lead": (True, False, False),
    "co_leader": (True, True, False),  # runs the network, but is not in the group
    "site_admin": (True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_enquiry_matrix(world, enquiry, role, django_assert_num_queries):
    person = world.people_by_role()[role]
    seen = loaded(enquiry, person) if person is not None and role != "pupil" else enquiry
    view, edit, case = EXPECTED[role]
    access_for(person)
    with django_assert_num_queries(0):
        assert policy.can_edit_enquiry(person, seen) is edit
        assert policy.can_see_case_pupils(person, seen) is case
        assert policy.can_observe(person, seen) is case
    assert in_enquiry_scope(person, enquiry) is view


@pytest.mark.parametrize("who", ["foreign_teacher", "foreign_co_leader"])
def test_people_of_another_network_reach_nothing(world, enquiry, who, django_assert_num_queries):
    outsider = getattr(world, who)
    access_for(outsider)  # loaded once per request, before any check
    seen = loaded(enquiry, world.teacher)
    with django_assert_num_queries(0):
        assert not policy.can_edit_enquiry(outsider, seen)
        assert not policy.can_see_case_pupils(outsider, seen)
    assert not in_enquiry_scope(outsider, enquiry)


def test_an_enquiry_loaded_for_someone_else_does_not_let_you_in(world, enquiry):
    as_teacher = loaded(enquiry, world.teacher)
    assert policy.can_see_case_pupils(world.teacher, as_teacher)
    assert not policy.can_see_case_pupils(world.school_lead, as_teacher)


@pytest.mark.parametrize(
    "role, draft, published",
    [
        ("member", True, True),
        ("co_leader", True, True),
        ("school_lead", False, True),
        ("partner", False, True),
        ("site_admin", True, True),
    ],
)
def test_account_matrix(world, enquiry, role, draft, published):
    account = services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title="T",
        question="Q",
        what_we_tried="A",
        what_we_learned="B",
    )
    person = world.people_by_role()[role]
    assert in_account_scope(person, account) is draft
    account.status = AccountStatus.PUBLISHED
    account.save(update_fields=["status"])
    assert in_account_scope(person, account) is published
    assert not in_account_scope(world.foreign_teacher, account)


def test_the_writer_cannot_review_their_own_account(world, enquiry):
    account = services.write_account(
        enquiry=enquiry, by=world.teacher, title="T", question="Q", what_we_tried="A",
        what_we_learned="B",
    )  # fmt: skip
    assert not policy.can_review_account(world.teacher, loaded_account(account, world.teacher))
    assert policy.can_review_account(world.co_leader, loaded_account(account, world.co_leader))
