"""A small named cast: two networks, so every test has a foreign network to prove nothing leaks.

Every text field of the foreign network carries SENTINEL; no page, export or API answer seen by a
person of the home network may contain it.
"""

from dataclasses import dataclass

from netlearn.accounts.models import Kind, Person
from netlearn.discussions import services as discussion_services
from netlearn.networks import services
from netlearn.networks.models import (
    Group,
    GroupKind,
    Network,
    PostLevel,
    Role,
    School,
)

from .factories import NetworkFactory, PersonFactory, SchoolFactory

SENTINEL = "ZQXSENTINEL"
PASSWORD = "correct horse battery"


@dataclass
class World:
    network: Network
    school_a: School
    school_b: School
    school_c: School
    group: Group
    admin: Person
    co_leader: Person
    school_lead: Person
    teacher: Person
    partner: Person
    pupil: Person
    data_lead: Person
    safeguarding_lead: Person
    foreign_network: Network
    foreign_school: School
    foreign_group: Group
    foreign_co_leader: Person
    foreign_teacher: Person
    outside_school: School
    # People whose post, role or school's membership has ended (issue 13): each must be treated
    # as if they had never held what ended. They keep everything else they hold.
    former_teacher: Person | None = None
    former_leader: Person | None = None
    departed_school: School | None = None
    departed_teacher: Person | None = None
    # A parent of a pupil at Alder (Pip's school), invited by its staff: an account of no network.
    parent: Person | None = None

    def people_by_role(self) -> dict[str, Person | None]:
        """Every role the policy knows, as a person of the home network (None: anonymous)."""
        return {
            "anonymous": None,
            "pupil": self.pupil,
            "member": self.teacher,
            "partner": self.partner,
            "school_lead": self.school_lead,
            "co_leader": self.co_leader,
            "data_lead": self.data_lead,
            "safeguarding_lead": self.safeguarding_lead,
            "site_admin": self.admin,
            "post_ended": self.former_teacher,
            "role_ended": self.former_leader,
            "membership_ended": self.departed_teacher,
            "parent": self.parent,
        }


def build_world() -> World:
    admin = PersonFactory(username="admin", name="Site Admin", is_superuser=True, is_staff=True)
    network = NetworkFactory(name="Riverside NLC", slug="riverside", description="Writing in KS2")
    school_a = SchoolFactory(name="Alder Primary", reference="900001")
    school_b = SchoolFactory(name="Birch Primary", reference="900002", setting="rural")
    school_c = SchoolFactory(name="Cedar Academy", reference="900003", phase="secondary")
    for school in (school_a, school_b, school_c):
        services.add_school_to_network(network=network, school=school, by=admin)

    co_leader = PersonFactory(username="coleader", name="Cora Leader", bio="Leads writing")
    services.add_staff_post(
        person=co_leader, school=school_a, job_title="Assistant head", level=PostLevel.SENIOR
    )
    # Trusted set-up (by=None): in the product a sensitive role takes a second person.
    services.assign_role(network=network, person=co_leader, role=Role.CO_LEADER, by=None)
    school_lead = PersonFactory(username="schoollead", name="Sam Head")
    services.add_staff_post(
        person=school_lead,
        school=school_b,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    teacher = PersonFactory(username="teacher", name="Tia Teacher", bio="Year 5 teacher")
    services.add_staff_post(
        person=teacher, school=school_c, job_title="Teacher of English", level=PostLevel.TEACHER
    )
    services.assign_role(
        network=network, person=teacher, role=Role.TEACHER_RESEARCHER, school=school_c, by=admin
    )
    partner = PersonFactory(username="partner", name="Pat Partner", kind=Kind.PARTNER)
    services.assign_role(network=network, person=partner, role=Role.FACILITATOR, by=admin)
    pupil = PersonFactory(
        username="pupil", name="Pip", kind=Kind.PUPIL, email="", pupil_school=school_a
    )
    group = services.create_group(
        network=network,
        name="Writing development group",
        kind=GroupKind.DEVELOPMENT,
        purpose="Improve writing",
        by=admin,
    )
    services.add_group_member(group=group, person=teacher, by=admin)
    services.add_group_member(group=group, school=school_a, by=admin)

    # The network's data lead sees pupil-level records; the safeguarding lead of Alder reviews
    # reports from its pupil spaces. Neither leads a school nor the network.
    data_lead = PersonFactory(username="datalead", name="Dara Data")
    services.add_staff_post(
        person=data_lead, school=school_b, job_title="Data manager", level=PostLevel.SUPPORT
    )
    services.assign_role(network=network, person=data_lead, role=Role.DATA_LEAD, by=None)
    safeguarding_lead = PersonFactory(username="safeguarding", name="Sasha Guard")
    services.add_staff_post(
        person=safeguarding_lead,
        school=school_a,
        job_title="Designated safeguarding lead",
        level=PostLevel.SENIOR,
    )
    services.assign_role(
        network=network,
        person=safeguarding_lead,
        role=Role.SAFEGUARDING_LEAD,
        school=school_a,
        by=None,
    )

    outside_school = SchoolFactory(name="Lonely School", reference="900009")

    foreign_network = NetworkFactory(
        name=f"Hilltop {SENTINEL}", slug="hilltop", description=f"About {SENTINEL}"
    )
    foreign_school = SchoolFactory(
        name=f"Foreign {SENTINEL} School",
        reference="800001",
        authority=f"LA {SENTINEL}",
        establishment_type=f"Type {SENTINEL}",
        website="https://sentinel.example.org/",
    )
    services.add_school_to_network(network=foreign_network, school=foreign_school, by=admin)
    foreign_co_leader = PersonFactory(
        username="foreigncoleader",
        name=f"Fay {SENTINEL}",
        bio=f"Bio {SENTINEL}",
        email="fay@sentinel.example.org",
    )
    services.add_staff_post(
        person=foreign_co_leader,
        school=foreign_school,
        job_title=f"Head {SENTINEL}",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    services.assign_role(
        network=foreign_network,
        person=foreign_co_leader,
        role=Role.CO_LEADER,
        note=f"Note {SENTINEL}",
        by=None,
    )
    foreign_teacher = PersonFactory(
        username="foreignteacher", name=f"Finn {SENTINEL}", email="finn@sentinel.example.org"
    )
    services.add_staff_post(
        person=foreign_teacher,
        school=foreign_school,
        job_title=f"Teacher {SENTINEL}",
        level=PostLevel.TEACHER,
    )
    foreign_group = services.create_group(
        network=foreign_network,
        name=f"Group {SENTINEL}",
        kind=GroupKind.TRIAD,
        purpose=f"Purpose {SENTINEL}",
        by=admin,
    )
    services.add_group_member(group=foreign_group, person=foreign_teacher, by=admin)
    former_teacher, former_leader, departed_school, departed_teacher = _build_leavers(
        admin=admin, network=network, school_b=school_b, outside_school=outside_school
    )
    # As the school's staff invite one (the invitation email waits for a commit).
    parent = discussion_services.invite_parent(
        school=pupil.pupil_school,
        by=safeguarding_lead,
        name="Parker Parent",
        email="parker@example.org",
    )
    for person in (admin, co_leader, school_lead, teacher, partner, pupil, data_lead, parent):
        person.refresh_from_db()
    return World(
        network=network,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        group=group,
        admin=admin,
        co_leader=co_leader,
        school_lead=school_lead,
        teacher=teacher,
        partner=partner,
        pupil=pupil,
        data_lead=data_lead,
        safeguarding_lead=safeguarding_lead,
        foreign_network=foreign_network,
        foreign_school=foreign_school,
        foreign_group=foreign_group,
        foreign_co_leader=foreign_co_leader,
        foreign_teacher=foreign_teacher,
        outside_school=outside_school,
        former_teacher=former_teacher,
        former_leader=former_leader,
        departed_school=departed_school,
        departed_teacher=departed_teacher,
        parent=parent,
    )


def _build_leavers(*, admin, network, school_b, outside_school):
    """People who held something in the home network and no longer do, each ended today by
    the services (the same ending the pages and the API make)."""
    # None of them appears in the network's lists today, so the tests that count its people,
    # posts and groups see the same network as before they were added.
    # Taught at Birch; the post has ended, and with it every place in the network.
    former_teacher = PersonFactory(username="formerteacher", name="Fern Former")
    post = services.add_staff_post(
        person=former_teacher, school=school_b, job_title="Teacher", level=PostLevel.TEACHER
    )
    services.end_staff_post(post=post, by=admin)

    # Was the network's co-leader, data lead and network-wide safeguarding lead from a school
    # outside it, and now holds none of these roles.
    former_leader = PersonFactory(username="formerleader", name="Lee Stepped-Down")
    services.add_staff_post(
        person=former_leader, school=outside_school, job_title="Adviser", level=PostLevel.OTHER
    )
    for role in (Role.CO_LEADER, Role.DATA_LEAD, Role.SAFEGUARDING_LEAD):
        # Set-up: sensitive roles through the trusted path (no second person needed).
        held = services.assign_role(network=network, person=former_leader, role=role, by=None)
        services.end_role(network_role=held, by=admin)

    # Heads Damson, whose membership of the network has ended.
    departed_school = SchoolFactory(name="Damson Primary", reference="900004")
    membership = services.add_school_to_network(network=network, school=departed_school, by=admin)
    departed_teacher = PersonFactory(username="departedteacher", name="Dev Departed")
    services.add_staff_post(
        person=departed_teacher,
        school=departed_school,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    services.end_school_membership(membership=membership, by=admin)

    for person in (former_teacher, former_leader, departed_teacher):
        person.refresh_from_db()
    return former_teacher, former_leader, departed_school, departed_teacher
