"""A person's posts, roles and group places (the contract: netlearn/accounts/personal_data.py).

Erasure deletes all three: they say where the person worked and what they did, and no other
record needs them. The network's history loses one person's line, which is what erasure asks.
"""

from netlearn.accounts.personal_data import label, rows

from .models import GroupMember, NetworkRole, StaffPost

MODELS = (StaffPost, NetworkRole, GroupMember)


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
    }


def erase(person) -> None:
    GroupMember.objects.filter(person=person).delete()
    NetworkRole.objects.filter(person=person).delete()
    StaffPost.objects.filter(person=person).delete()
