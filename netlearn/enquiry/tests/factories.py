"""Builders for enquiry tests, through the services like the world itself."""

from netlearn.enquiry import selectors, services
from netlearn.enquiry.models import Method
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind, PostLevel
from netlearn.networks.tests.factories import PersonFactory


def loaded(enquiry, viewer):
    """The enquiry as the selectors load it for `viewer` (the policy reads the annotation)."""
    return selectors.enquiry_for(viewer=viewer, network=enquiry.network, enquiry_id=enquiry.pk)


def loaded_account(account, viewer):
    return selectors.account_for(
        viewer=viewer, network=account.enquiry.network, account_id=account.pk
    )


def triad(world, *, name="Triad: fractions"):
    """Three teachers from Alder, Birch and Cedar in a triad of the home network."""
    people = []
    for username, school in (("ana", world.school_a), ("ben", world.school_b), ("cat", None)):
        if school is None:
            people.append(world.teacher)  # teaches at Cedar
            continue
        person = PersonFactory(username=username, name=f"{username.title()} Teacher")
        network_services.add_staff_post(
            person=person, school=school, job_title="Teacher", level=PostLevel.TEACHER
        )
        people.append(person)
    group = network_services.create_group(
        network=world.network, name=name, kind=GroupKind.TRIAD, by=world.admin
    )
    for person in people:
        network_services.add_group_member(group=group, person=person, by=world.admin)
    return group, people


def lesson_study(world, group, by, **kwargs):
    enquiry = services.start_enquiry(
        network=world.network,
        by=by,
        question=kwargs.pop("question", "How do pupils explain fractions?"),
        method=Method.LESSON_STUDY,
        group=group,
        **kwargs,
    )
    return loaded(enquiry, by)
