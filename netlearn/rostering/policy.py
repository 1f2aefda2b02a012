"""Who may import a school's roster: whoever manages its staff (its lead, site admins), since an
import invites staff and ends posts; they manage its pupils too (discussions.policy)."""

from netlearn.networks import policy as network_policy


def can_import_roster(person, school) -> bool:
    return network_policy.can_manage_staff(person, school)
