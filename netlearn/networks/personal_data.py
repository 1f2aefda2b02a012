"""A person's posts, roles and group places, the roles proposed for them and the invitations
they were sent (the contract: netlearn/accounts/personal_data.py).

Erasure deletes the posts, roles, group places, invitations and proposals that are theirs: they
say where the person worked and what they did, and no other record needs them. The network's
history loses one person's line, which is what erasure asks. Proposals they made or decided for
others, and the role audit log, stay with the network as its record of who gave which role: they
point at the "Former member" tombstone and hold no text of theirs but a scrubbed note.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import (
    GroupMember,
    JoinRequest,
    NetworkRole,
    RoleAuditEntry,
    RoleProposal,
    SchoolChange,
    SchoolEmailDomain,
    StaffInvitation,
    StaffPost,
)

MODELS = (
    StaffPost,
    NetworkRole,
    GroupMember,
    RoleProposal,
    RoleAuditEntry,
    StaffInvitation,
    JoinRequest,
    SchoolEmailDomain,
    SchoolChange,
)


def export(person) -> dict[str, list[dict]]:
    return {
        label(StaffPost): rows(
            StaffPost.objects.filter(person=person).select_related("school"),
            person,
            extra=lambda post: {"school_name": post.school.name},
        ),
        label(NetworkRole): rows(
            NetworkRole.objects.filter(person=person).select_related("network", "school"),
            person,
            extra=lambda role: {
                "network_name": role.network.name,
                "school_name": role.school.name if role.school else "",
            },
        ),
        label(GroupMember): rows(
            GroupMember.objects.filter(person=person).select_related("group__network"),
            person,
            extra=lambda member: {
                "group_name": member.group.name,
                "network_name": member.group.network.name,
            },
        ),
        label(RoleProposal): rows(
            RoleProposal.objects.filter(refers_to(RoleProposal, person)), person
        ),
        label(RoleAuditEntry): rows(
            RoleAuditEntry.objects.filter(refers_to(RoleAuditEntry, person)), person
        ),
        label(StaffInvitation): rows(
            StaffInvitation.objects.filter(refers_to(StaffInvitation, person)).select_related(
                "school"
            ),
            person,
            extra=lambda invitation: {"school_name": invitation.school.name},
        ),
        # Their requests to join a school through single sign-on, and those they answered.
        label(JoinRequest): rows(
            JoinRequest.objects.filter(refers_to(JoinRequest, person)).select_related("school"),
            person,
            extra=lambda join_request: {"school_name": join_request.school.name},
        ),
        # The closures and amalgamations they recorded.
        label(SchoolChange): rows(
            SchoolChange.objects.filter(by=person).select_related("school"),
            person,
            extra=lambda change: {"school_name": change.school.name},
        ),
        # The email domains they said were their school's.
        label(SchoolEmailDomain): rows(
            SchoolEmailDomain.objects.filter(added_by=person).select_related("school"),
            person,
            extra=lambda domain: {"school_name": domain.school.name},
        ),
    }


def erase(person) -> None:
    JoinRequest.objects.filter(person=person).delete()
    JoinRequest.objects.filter(decided_by=person).update(decided_by=None)
    SchoolEmailDomain.objects.filter(added_by=person).update(added_by=None)
    # The schools' history stays; it no longer says who recorded it, nor their name in its words.
    scrub_identifiers(SchoolChange.objects.filter(by=person), person)
    SchoolChange.objects.filter(by=person).update(by=None)
    StaffInvitation.objects.filter(person=person).delete()
    if person.email:
        # Invitations that reached nobody still hold the address a school typed.
        StaffInvitation.objects.filter(invited_email__iexact=person.email).delete()
    RoleProposal.objects.filter(person=person).delete()
    scrub_identifiers(RoleProposal.objects.filter(refers_to(RoleProposal, person)), person)
    scrub_identifiers(StaffInvitation.objects.filter(invited_by=person), person)
    GroupMember.objects.filter(person=person).delete()
    NetworkRole.objects.filter(person=person).delete()
    StaffPost.objects.filter(person=person).delete()
