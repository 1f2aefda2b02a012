"""Who may follow a learning focus's golden thread.

Whoever may read the focus (its charter) sees the thread; each part of it is then filtered by the
owning app's own scope, so a teacher sees only the enquiries, accounts, release requests and
figures they could open there. The links to fill a gap follow the owning app's rule for filling
it. Checks read preloaded access and cost no queries.
"""

from netlearn.activities import policy as activity_policy
from netlearn.charter import policy as charter_policy
from netlearn.enquiry import policy as enquiry_policy
from netlearn.impact import policy as impact_policy
from netlearn.library import policy as library_policy


def can_view_thread(person, network) -> bool:
    return charter_policy.can_view_charter(person, network)


def can_add_goal(person, network) -> bool:
    return charter_policy.can_edit_charter(person, network)


def can_start_enquiry(person, network) -> bool:
    return enquiry_policy.can_start_enquiry(person, network)


def can_schedule_activity(person, network) -> bool:
    return activity_policy.can_create_activity(person, network)


def can_add_resource(person, network) -> bool:
    return library_policy.can_add_resource(person, network)


def can_view_value_added(person, network) -> bool:
    return impact_policy.can_view_impact(person, network)


def can_link_goal(person, network) -> bool:
    return impact_policy.can_link_goal(person, network)


# No scope of its own: every part of the thread is read through its owning app's scope.
AGREEMENTS = ()
SCOPES_ALONE = ()
