"""Who may draft, publish and read a network's progress reports: a matrix over the test world."""

import pytest

from netlearn.reports import policy

from .factories import draft_report, published_report

pytestmark = pytest.mark.django_db

ROLES = [
    # role, drafts and publishes, reads a published report, reads a draft
    ("co_leader", True, True, True),
    ("school_lead", False, True, False),
    ("member", False, True, False),
    ("partner", False, True, False),
    ("data_lead", False, True, False),
    ("pupil", False, False, False),
    ("parent", False, False, False),
    ("role_ended", False, False, False),  # only a post at a school of no network is left
    ("site_admin", True, True, True),
]


@pytest.mark.parametrize("role, drafts, reads_published, reads_draft", ROLES)
def test_who_may_do_what(world, role, drafts, reads_published, reads_draft):
    published = published_report(world)
    draft = draft_report(world, title="Spring term")
    person = world.people_by_role()[role]
    person.refresh_from_db()
    published, draft = (
        type(published).objects.select_related("network").get(pk=r.pk) for r in (published, draft)
    )
    assert policy.can_draft(person, world.network) is drafts
    assert policy.can_publish(person, world.network) is drafts
    assert policy.can_view_report(person, published) is reads_published
    assert policy.can_view_report(person, draft) is reads_draft


def test_another_networks_co_leader_reads_nothing(world):
    report = published_report(world)
    report = type(report).objects.select_related("network").get(pk=report.pk)
    assert not policy.can_view_report(world.foreign_co_leader, report)
    assert not policy.can_draft(world.foreign_co_leader, world.network)


def test_checks_cost_no_queries(world, django_assert_num_queries):
    report = published_report(world)
    report = type(report).objects.select_related("network").get(pk=report.pk)
    person = world.school_lead
    policy.can_view_report(person, report)
    with django_assert_num_queries(0):
        policy.can_view_report(person, report)
        policy.can_draft(person, world.network)
