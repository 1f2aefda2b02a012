"""Role proposals and staff invitations for the authorization walks (netlearn/web/tests/walk.py).

The foreign network's proposal and invitation carry SENTINEL in their text; the home network's
are made by its co-leader and its school's lead, as the product makes them.
"""

from netlearn.networks import services
from netlearn.networks.models import PostLevel, Role

from .world import SENTINEL


def _build(world, *, foreign: bool) -> dict:
    if foreign:
        proposal = services.propose_role(
            network=world.foreign_network,
            person=world.foreign_teacher,
            role=Role.DATA_LEAD,
            note=f"Note {SENTINEL}",
            by=world.foreign_co_leader,
        )
        invitation = services.add_staff_member(
            school=world.foreign_school,
            by=world.foreign_co_leader,
            name=f"Ines {SENTINEL}",
            email="ines@sentinel.example.org",
            job_title=f"Teacher {SENTINEL}",
            level=PostLevel.TEACHER,
        )
    else:
        proposal = services.propose_role(
            network=world.network,
            person=world.teacher,
            role=Role.DATA_LEAD,
            note="Runs the KS2 data",
            by=world.co_leader,
        )
        invitation = services.add_staff_member(
            school=world.school_b,
            by=world.school_lead,
            name="Tia Teacher",
            email=world.teacher.email,
            job_title="Visiting teacher",
            level=PostLevel.TEACHER,
        )
    # A school's email domain and a colleague waiting in its join queue (single sign-on).
    if foreign:
        domain = services.add_email_domain(
            school=world.foreign_school, domain="hilltop.example.org", by=world.foreign_co_leader
        )
        name, email = f"Jo {SENTINEL}", "jo@hilltop.example.org"
    else:
        domain = services.add_email_domain(
            school=world.school_b, domain="birch.example.org", by=world.school_lead
        )
        name, email = "Jo Joiner", "jo@birch.example.org"
    joiner = services.request_to_join(email_domain=domain, name=name, email=email, provider="walk")
    join_request = joiner.join_requests.get()
    return {
        "proposal_id": proposal.pk,
        "invitation_id": invitation.pk,
        "domain_id": domain.pk,
        "join_request_id": join_request.pk,
        # An amalgamation's continuing school (docs/school-changes.md).
        "continuing_school_id": (world.foreign_school if foreign else world.school_a).pk,
    }


def object_ids(world, *, foreign: bool) -> dict:
    key = "networks_walk_foreign" if foreign else "networks_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return world.__dict__[key]
